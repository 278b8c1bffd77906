#!/usr/bin/env node
/** The convlab command line: a thin layer over the library. */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ConvlabError } from '../core/errors.js';
import { COMMANDS } from './commands/index.js';
import { flagOf, separateModelArgs } from './options.js';

/** Commander's own errors ("error: unknown option '--x'") as one convlab line. */
const commanderLine = (text: string) => `convlab: ${text.trim().replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')} (see --help)\n`;

/**
 * Builds the program with the named command registered, or every command when `only` is not a
 * command name (help, an unknown command, no command), so help and suggestions see them all.
 */
async function buildProgram(only?: string): Promise<Command> {
  const program = new Command('convlab')
    .description('Define, analyse, compare, run and explore convolutional neural networks')
    .version('0.1.0')
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: (s, write) => write(commanderLine(s)) });
  // Set before commands are added: subcommands inherit the exit override and the error writer.
  program.exitOverride();
  const names = only !== undefined && Object.hasOwn(COMMANDS, only) ? [only] : Object.keys(COMMANDS);
  const modules = await Promise.all(names.map((n) => COMMANDS[n]!()));
  for (const m of modules) m.register(program);
  return program;
}

/** Runs the CLI; user errors print one line and exit 2, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv[0]);
    await program.parseAsync(separateModelArgs(program, argv), { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof ConvlabError) {
      process.stderr.write(`convlab: ${e.spelled(flagOf).split('\n')[0]}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    if (e instanceof Error && typeof err.code === 'string' && err.syscall) {
      process.stderr.write(`convlab: ${err.path ?? ''}: ${err.code} ${err.syscall} failed\n`);
      return 2;
    }
    process.stderr.write(`convlab: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}

/** True when this file is the process entry (run directly, through the npm bin link or a symlink). */
function isEntry(): boolean {
  const invoked = process.argv[1];
  if (!invoked) return false;
  try {
    return realpathSync(invoked) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
