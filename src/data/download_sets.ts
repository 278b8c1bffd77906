/** `downloadDataset`: any downloadable data set, from its gzip IDX files or its one published file. */
import { makeFolder } from '../core/folders.js';
import { UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { downloadIdxSet, type DownloadOptions, type DownloadResult } from './download.js';
import { downloadPacked } from './download_packed.js';
import { DOWNLOADABLE, isPacked, type DownloadableName } from './sources.js';

/**
 * Downloads a data set into `toDir` (only the files of `opts.splits` where it has separate ones),
 * skipping what is already there and verified; every file is checked before it appears.
 */
export async function downloadDataset(name: DownloadableName, toDir: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
  if (!(DOWNLOADABLE as readonly string[]).includes(name)) throw new UsageError(messages.notDownloadable(name, DOWNLOADABLE));
  const splits = opts.splits ?? ['train', 'test'];
  for (const s of splits) if (s !== 'train' && s !== 'test') throw new UsageError(messages.unknownSplit(s));
  makeFolder(toDir);
  return isPacked(name) ? downloadPacked(name, toDir, splits, opts) : downloadIdxSet(name, toDir, splits, opts);
}
