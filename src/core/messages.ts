/**
 * convlab's message catalogue: every user-facing message, as a typed function, in one object
 * (the habit of vega-lite's log/message.ts). Code throws `new UsageError(messages.badBatch(n))`
 * and tests assert against the same functions, so the wording lives in one place. The parts
 * under messages/ are grouped by what the message is about; their names never repeat.
 *
 * Messages that name an option take a trailing `Spell`: the library writes the option's key
 * (`lr`), and the command line respells the error with its flags (`--lr`) through
 * ConvlabError.spelled.
 */
import { cliMessages } from './messages/cli.js';
import { dataMessages } from './messages/data.js';
import { fileMessages } from './messages/files.js';
import { finetuneMessages } from './messages/finetune.js';
import { modelMessages } from './messages/model.js';
import { onnxMessages } from './messages/onnx.js';
import { opMessages } from './messages/ops.js';
import { graphModelMessages } from './messages/graph_model.js';
import { quantizeMessages } from './messages/quantize.js';
import { rewriteMessages } from './messages/rewrite.js';
import { torchMessages } from './messages/torch.js';
import { trainingMessages } from './messages/training.js';
import { weightFileMessages } from './messages/weights.js';

/** Every message, by name. */
export const messages = { ...modelMessages, ...graphModelMessages, ...opMessages, ...dataMessages, ...onnxMessages, ...quantizeMessages, ...trainingMessages, ...finetuneMessages, ...torchMessages, ...rewriteMessages, ...weightFileMessages, ...cliMessages, ...fileMessages } as const;

export { atNode } from './messages/model.js';
export { asKey, type Spell } from './messages/text.js';
