/** Every user-facing message of the command line, as typed functions; tests assert against these. */
import { int } from '../report/units.js';

const q = (s: string) => JSON.stringify(s);

/** The command line's messages, one function each. */
export const cliMessages = {
  badChoice: (option: string, allowed: readonly string[], received: string) =>
    `${option} must be one of ${allowed.join(', ')}; received ${q(received)}`,
  badPositiveInt: (option: string, received: string) => `${option} must be a positive integer; received ${q(received)}`,
  badInput: (received: string) =>
    `--input must be H,W,C as positive integers (e.g. 224,224,3); received ${q(received)}`,
  modelOptionOnSpec: (file: string, option: string) =>
    `${option} is a zoo-builder option, but ${file} is a file; only --input applies to a spec or model file`,
  modelOptionUnread: (model: string, option: string, read: readonly string[]) =>
    `${model} does not read ${option}${read.length ? `; it reads ${read.join(', ')}` : ''}`,
  modelOptionSyntax: (token: string) =>
    `cannot read model option ${q(token)}; write --name value, --name=value or --no-name`,
  cannotWrite: (path: string, reason: string) => `cannot write ${path}: ${reason}`,
  outputExtension: (path: string, allowed: readonly string[]) =>
    `${path}: the output name must end in ${allowed.map((e) => `.${e}`).join(' or ')}`,
  unknownLayer: (model: string, layer: string, near: readonly string[]) =>
    `${model} has no layer ${q(layer)}${near.length ? `; did you mean ${near.join(', ')}?` : ''}`,
  chartKind: (allowed: readonly string[], received: string) => `chart kind must be one of ${allowed.join(', ')}; received ${q(received)}`,
  chartOneModel: (kind: string, count: number) => `a ${kind} chart shows one model; received ${count}`,
  chartNeedsModels: (kind: string) => `a ${kind} chart needs at least one model (zoo id or spec .json)`,
  chartNoAccuracy: (models: readonly string[]) =>
    `no published accuracy for ${models.join(', ')}, so an accuracy chart has nothing to plot`,
  sweepSyntax: (received: string) =>
    `--sweep must be name=v1,v2,... (e.g. alpha=0.25,0.5,0.75,1 or input=128,160,192,224); received ${q(received)}`,
  sweepNeedsOne: (count: number) => `--sweep rebuilds one model for each value; name exactly one model, received ${count}`,
  sweepTooFew: (count: number) => `a sweep needs at least two points: two models, or one model with --sweep; received ${count}`,
  exportTarget: (allowed: readonly string[], received: string) => `--to must be one of ${allowed.join(', ')}; received ${q(received)}`,
  skippedNoAccuracy: (models: readonly string[]) => `note: ${models.join(', ')} left out: no published accuracy`,
  noDataDir: () => '--data DIR is needed (the data set folder, or a parent holding it), or set CONVLAB_DATA',
  wrote: (path: string, bytes: number) => `wrote ${path} (${int(bytes)} bytes)`,
  trainNeedsData: () => '--train needs --data DIR, the data set folder or a parent holding it',
  badPositive: (option: string, received: string) => `${option} must be a positive number; received ${q(received)}`,
} as const;
