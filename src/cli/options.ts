/**
 * Option parsing shared by commands: strict readers for choices, integers and `--input`, and the
 * pass-through of model options (`--alpha 0.5`, `--no-top`, `--pooling avg`) to zoo builders.
 *
 * Commander stops recognising options after the first unknown one, so model options are taken
 * out of argv before commander sees it and handed to the command through `modelArgs`.
 */
import type { Command, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import type { Shape } from '../graph/types.js';
import { CONVENTIONS, DTYPES, PARAM_CONVENTIONS } from '../core/sets.js';
import type { ModelOptions } from '../zoo/registry.js';
import { messages } from '../core/messages.js';

const ACCEPTS = new WeakSet<Command>();
const MODEL_ARGS = new WeakMap<Command, string[]>();

/** Marks a command as passing unknown `--name value` options to the zoo builder. */
export function acceptModelOptions(cmd: Command): Command {
  ACCEPTS.add(cmd);
  return cmd;
}

/** The model-option tokens taken out of argv for a command. */
const modelArgs = (cmd: Command): string[] => MODEL_ARGS.get(cmd) ?? [];

const looksLikeValue = (t: string | undefined): t is string => t !== undefined && (!t.startsWith('-') || /^-\d/.test(t));

/**
 * Takes the model options out of argv (command name first) for commands that accept them, and
 * returns the rest for commander. Declared options keep their values; unknown `--name` tokens
 * and the value after them become model options.
 */
export function separateModelArgs(program: Command, argv: string[]): string[] {
  const cmd = program.commands.find((c) => c.name() === argv[0] || c.aliases().includes(argv[0] ?? ''));
  if (!cmd || !ACCEPTS.has(cmd)) return argv;
  const declared = new Map<string, Option>();
  for (const o of cmd.options) {
    if (o.long) declared.set(o.long, o);
    if (o.short) declared.set(o.short, o);
  }
  const keep: string[] = [argv[0]!];
  const model: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const t = argv[i]!;
    if (t === '--') {
      keep.push(...argv.slice(i));
      break;
    }
    const name = t.split('=')[0]!;
    const opt = declared.get(name);
    if (opt || name === '-h' || name === '--help' || !t.startsWith('--')) {
      keep.push(t);
      if (opt && (opt.required || opt.optional) && !t.includes('=') && i + 1 < argv.length) keep.push(argv[++i]!);
      continue;
    }
    model.push(t);
    if (!t.includes('=') && !t.startsWith('--no-') && looksLikeValue(argv[i + 1])) model.push(argv[++i]!);
  }
  MODEL_ARGS.set(cmd, model);
  return keep;
}

const camel = (kebab: string) => kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** The command-line spelling of a builder option: includeTop -> --include-top. */
export const flagOf = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function parseValue(text: string): unknown {
  if (/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'none' || text === 'null') return null;
  return text;
}

/** Turns model-option tokens into builder options: `--no-top` → includeTop false, `--alpha 0.5` → alpha 0.5. */
export function parseModelArgs(tokens: string[]): ModelOptions {
  const out: ModelOptions = {};
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const m = /^--([A-Za-z][A-Za-z0-9-]*)(?:=(.*))?$/.exec(t);
    if (!m) throw new UsageError(messages.modelOptionSyntax(t));
    const [, flag, inline] = m as unknown as [string, string, string | undefined];
    if (flag === 'no-top' || flag === 'top') {
      out.includeTop = flag === 'top';
      continue;
    }
    if (flag.startsWith('no-') && inline === undefined) {
      out[camel(flag.slice(3))] = false;
      continue;
    }
    const next = tokens[i + 1];
    const value = inline ?? (next !== undefined && !next.startsWith('--') ? tokens[++i]! : 'true');
    out[camel(flag)] = parseValue(value);
  }
  return out;
}

/** Reads one of a fixed set of values, naming the option and the allowed values on error. */
export function choice<T extends string>(option: string, allowed: readonly T[], received: string): T {
  if (!(allowed as readonly string[]).includes(received)) throw new UsageError(messages.badChoice(option, allowed, received));
  return received as T;
}

/** Reads a positive integer strictly: "32" yes, "3.5", "0", "1e3" or "32x" no. */
export function positiveInt(option: string, received: string): number {
  if (!/^\d+$/.test(received) || Number(received) < 1) throw new UsageError(messages.badPositiveInt(option, received));
  return Number(received);
}

/** The data folder: `--data`, else the CONVLAB_DATA environment variable. */
export function dataDirOf(received: string | undefined): string {
  const dir = received ?? process.env['CONVLAB_DATA'];
  if (!dir) throw new UsageError(messages.noDataDir());
  return dir;
}

/** Reads a whole number that may be zero (`--warmup 0`, `--seed 0`). */
export function wholeNumber(option: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(messages.badCount(option, text));
  return Number(text);
}

/** Reads `--input H,W,C` (commas or `x`) into a shape of positive integers. */
export function parseInputShape(received: string): Shape {
  const parts = received.split(/[,x×]/).map((p) => p.trim());
  if (parts.length !== 3 || !parts.every((p) => /^\d+$/.test(p) && Number(p) > 0)) throw new UsageError(messages.badInput(received));
  return parts.map(Number);
}

/** Declares `--input` and `--classes` and lets the command pass other options to the zoo builder. */
export function addModelOptions(cmd: Command): Command {
  acceptModelOptions(cmd);
  return cmd
    .option('--input <H,W,C>', 'input shape; for a spec file, replaces the shape of its input')
    .option('--classes <n>', 'number of classes of the classifier (zoo models)');
}

/** The builder options of a command: `--input`, `--classes` and the passed-through model options. */
export function modelOptionsOf(cmd: Command, o: { input?: string; classes?: string }): ModelOptions {
  const out = parseModelArgs(modelArgs(cmd));
  if (o.input !== undefined) out.input = parseInputShape(o.input);
  if (o.classes !== undefined) out.classes = positiveInt('--classes', o.classes);
  return out;
}

/** Declares the counting conventions and the element type. */
export function addAnalysisOptions(cmd: Command): Command {
  return cmd
    .option('--convention <name>', `FLOP convention: ${CONVENTIONS.join(' | ')}`, 'lecture')
    .option('--params <name>', `parameter convention: ${PARAM_CONVENTIONS.join(' | ')} (BatchNorm statistics count or not)`, 'keras')
    .option('--dtype <type>', `element type for memory: ${DTYPES.join(' | ')}`, 'fp32');
}

/** The checked analysis options. */
export function analysisOptionsOf(o: { convention: string; params: string; dtype: string }) {
  return {
    convention: choice('--convention', CONVENTIONS, o.convention),
    params: choice('--params', PARAM_CONVENTIONS, o.params),
    dtype: choice('--dtype', DTYPES, o.dtype),
  };
}
