/**
 * The torch engine's run folder (`--out`): the checkpoint it resumes from and the check made
 * before any work, kept free of Python and the data so the command line can refuse a bad folder
 * at once, as it does for the tfjs engine (runtime/tfjs/run_folder.ts).
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { checkFolder } from '../../core/folders.js';
import { messages } from '../../core/messages.js';
import { asKey, type Spell } from '../../core/messages/text.js';
import { clearRun } from '../tfjs/run_folder.js';

export const TORCH_CHECKPOINT = 'checkpoint.pt';

/**
 * Checks a run folder before any work: a usable place (core/folders.ts), an earlier run continued
 * only with `resume` and replaced only with `force`. Only node 0 holds the checkpoint; the other
 * nodes receive it from there, so only there must it exist.
 */
export function checkTorchRunFolder(out: string, use: { resume?: boolean; force?: boolean; nodeRank?: number }, o: Spell = asKey): void {
  checkFolder(out, 'run folder', use, o);
  if (use.resume && (use.nodeRank ?? 0) === 0 && !existsSync(join(out, TORCH_CHECKPOINT))) throw new UsageError(messages.noTorchCheckpoint(out, TORCH_CHECKPOINT, o));
}

/** Removes an earlier run's checkpoint, log and model from `out`; the arrays in torch/data stay, reused only when their key matches. */
export function clearTorchRun(out: string): void {
  clearRun(out);
  rmSync(join(out, TORCH_CHECKPOINT), { force: true });
}
