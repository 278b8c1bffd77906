/**
 * Download progress on stderr, shared by `data download` and `--weights`: a bar per file on a
 * terminal, one line per finished file otherwise (logs and pipes get no carriage returns).
 */
import cliProgress from 'cli-progress';
import { bytes } from '../report/units.js';

/** One file's progress as the downloader reports it. */
export interface FileProgress {
  phase: 'check' | 'download' | 'verify' | 'done';
  bytes: number;
  total?: number;
  status?: string;
}

/** A reporter: `update(label, p)` for each event, `stop()` to clear a bar left open by an error. */
export interface ProgressReporter {
  update: (label: string, p: FileProgress, checked?: string) => void;
  stop: () => void;
}

/** Writes progress to `err`; a bar only when stderr is a terminal. `checked` names the digest checked when done (MD5). */
export function progressReporter(err: (text: string) => void, tty = process.stderr.isTTY === true): ProgressReporter {
  let bar: cliProgress.SingleBar | undefined;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  const update = (label: string, p: FileProgress, checked = 'MD5 ok') => {
    if (p.phase === 'download' && tty) {
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { format: '{label} |{bar}| {percentage}% {done} of {size}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.total ?? 1, 0, { label, done: bytes(0), size: '?' });
      }
      if (p.total !== undefined) bar.setTotal(p.total);
      bar.update(p.total !== undefined ? p.bytes : 0, { label, done: bytes(p.bytes), size: p.total !== undefined ? bytes(p.total) : '?' });
    } else if (p.phase === 'verify') {
      stop();
      if (tty) err(`${label}: verifying\r`);
    } else if (p.phase === 'done') {
      stop();
      err(`${label}: ${p.status} (${bytes(p.bytes)})${checked ? `, ${checked}` : ''}\n`);
    }
  };
  return { update, stop };
}
