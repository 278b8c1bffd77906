/** The message catalogue: one object, no name defined twice, options spelled by the caller. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import { messages } from '../../src/core/messages.js';
import { cliMessages } from '../../src/core/messages/cli.js';
import { dataMessages } from '../../src/core/messages/data.js';
import { fileMessages } from '../../src/core/messages/files.js';
import { finetuneMessages } from '../../src/core/messages/finetune.js';
import { modelMessages } from '../../src/core/messages/model.js';
import { onnxMessages } from '../../src/core/messages/onnx.js';
import { opMessages } from '../../src/core/messages/ops.js';
import { graphModelMessages } from '../../src/core/messages/graph_model.js';
import { quantizeMessages } from '../../src/core/messages/quantize.js';
import { rewriteMessages } from '../../src/core/messages/rewrite.js';
import { torchMessages } from '../../src/core/messages/torch.js';
import { trainingMessages } from '../../src/core/messages/training.js';
import { weightFileMessages } from '../../src/core/messages/weights.js';

const PARTS = { modelMessages, graphModelMessages, opMessages, dataMessages, onnxMessages, quantizeMessages, trainingMessages, finetuneMessages, torchMessages, rewriteMessages, weightFileMessages, cliMessages, fileMessages };

describe('message catalogue', () => {
  test('no message name is defined in two parts (a spread would silently keep only one)', () => {
    const owner = new Map<string, string>();
    for (const [part, entries] of Object.entries(PARTS)) {
      for (const name of Object.keys(entries)) {
        assert.equal(owner.get(name), undefined, `${name} is defined in ${owner.get(name)} and in ${part}`);
        owner.set(name, part);
      }
    }
    assert.equal(Object.keys(messages).length, owner.size);
  });

  test('every entry is a function returning one line of text', () => {
    for (const [name, fn] of Object.entries(messages)) assert.equal(typeof fn, 'function', name);
    assert.equal(messages.badSeed(1.5), 'seed must be a finite integer; received 1.5');
  });

  test('an option is written by its key in the library and as a flag when the caller spells it', () => {
    const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    const e = new UsageError((o) => messages.badOption('batchSize', 'a positive integer', 0, o));
    assert.equal(e.message, 'option batchSize must be a positive integer; received 0');
    assert.equal(e.spelled(flag), 'option --batch-size must be a positive integer; received 0');
    assert.match(messages.nanLoss(1, 2, 0.1), /Lower lr, or check/);
    assert.match(messages.nanLoss(1, 2, 0.1, flag), /Lower --lr, or check/);
    const plain = new UsageError('no options here');
    assert.equal(plain.spelled(flag), 'no options here');
  });
});
