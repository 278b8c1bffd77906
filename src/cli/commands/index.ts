/**
 * Every CLI command, in help order: its name and a loader for its module. A run imports only the
 * command it executes (help imports all), which keeps `convlab summary` fast to start.
 * Add a command with one entry here; its module exports `register(program)`.
 */
import type { Command } from 'commander';

type CommandModule = { register: (program: Command) => void };

export const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  list: () => import('./list.js'),
  summary: () => import('./summary.js'),
  compare: () => import('./compare.js'),
  explain: () => import('./explain.js'),
  chart: () => import('./chart.js'),
  serve: () => import('./serve.js'),
  data: () => import('./data.js'),
  train: () => import('./train.js'),
  eval: () => import('./eval.js'),
  export: () => import('./export.js'),
  import: () => import('./import.js'),
  bench: () => import('./bench.js'),
  predict: () => import('./predict.js'),
  run: () => import('./run.js'),
  whatif: () => import('./whatif.js'),
};
