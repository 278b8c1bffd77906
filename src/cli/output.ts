/** What a command prints: a complete document in one write, to stdout or through the one output writer (core/output.ts). */
import { writeOutput } from '../core/output.js';
import { messages } from '../core/messages.js';

/** Prints a complete document to stdout in one write, so a failure never leaves half of it. */
export function emit(text: string): void {
  process.stdout.write(text);
}

/** Where a command's result goes: `-o FILE` (checked first by the command with checkOutput), stdout otherwise. */
export function deliver(text: string, out?: string): void {
  if (out) writeOutput(out, text);
  else emit(text);
}

/** Says where a file went: on stdout, unless the file itself went to stdout (`-o -`), then on stderr. */
export function noteWrote(path: string, bytes: number): void {
  (path === '-' ? process.stderr : process.stdout).write(`${messages.wrote(path === '-' ? 'standard output' : path, bytes)}\n`);
}
