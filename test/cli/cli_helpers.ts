/** Runs the built CLI as users do (`node dist/src/cli/main.js ...`) and captures what it prints. */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI entry point in dist/. */
export const CLI = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');

/** Runs `convlab <args>` to completion. */
export function runCli(args: string[], options: SpawnSyncOptions = {}): CliResult {
  return runCliWith([], args, options);
}

/** Runs the CLI with node flags before the script (for example `--import` hooks). */
export function runCliWith(nodeArgs: string[], args: string[], options: SpawnSyncOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [...nodeArgs, CLI, ...args], { encoding: 'utf8', timeout: 60_000, ...options });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}
