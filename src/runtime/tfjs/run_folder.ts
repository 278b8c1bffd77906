/**
 * A training run's folder (`--out`): what it holds and the check made before any work, kept free
 * of TensorFlow.js so the command line can refuse a bad folder before loading the engine or data.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { checkFolder } from '../../core/folders.js';
import { messages } from '../../core/messages.js';
import { asKey, type Spell } from '../../core/messages/text.js';
import { MODEL_JSON, SPEC_JSON, WEIGHTS_BIN } from '../../import/trained.js';

export const CHECKPOINT_FILE = 'checkpoint.ckpt';
export const LOG_FILE = 'log.jsonl';

/** Every file a run writes; `force` removes these (and nothing else) before a new run starts. */
const RUN_FILES = [CHECKPOINT_FILE, LOG_FILE, MODEL_JSON, WEIGHTS_BIN, SPEC_JSON];

/**
 * Checks a run folder before any work: a usable place (core/folders.ts), an earlier run continued
 * only with `resume` (its checkpoint must exist) and replaced only with `force`.
 */
export function checkRunFolder(out: string, use: { resume?: boolean; force?: boolean }, o: Spell = asKey): void {
  checkFolder(out, 'run folder', use, o);
  if (use.resume && !existsSync(join(out, CHECKPOINT_FILE))) throw new UsageError(messages.noCheckpoint(out, CHECKPOINT_FILE, o));
}

/** Removes an earlier run's files from `out`, so nothing of it outlives a forced new run. */
export function clearRun(out: string): void {
  for (const name of RUN_FILES) rmSync(join(out, name), { force: true });
}
