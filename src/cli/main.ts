#!/usr/bin/env node
/** The convlab command line: a thin layer over the library. */
import { Command, CommanderError } from 'commander';
import { ConvlabError } from '../graph/errors.js';
import { COMMANDS } from './commands/index.js';

/** Builds the program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('convlab')
    .description('Define, analyse, compare, run and explore convolutional neural networks')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program.exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Runs the CLI; user errors print one line and exit 2, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof ConvlabError) {
      process.stderr.write(`convlab: ${e.message}\n`);
      return 2;
    }
    if (e instanceof Error && 'code' in e && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).syscall) {
      const err = e as NodeJS.ErrnoException;
      process.stderr.write(`convlab: ${err.path ?? ''}: ${err.code} ${err.syscall} failed\n`);
      return 2;
    }
    process.stderr.write(`convlab: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}

const invoked = process.argv[1] ?? '';
if (import.meta.url === `file://${invoked}` || invoked.endsWith('/cli/main.js') || invoked.endsWith('/bin/convlab')) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
