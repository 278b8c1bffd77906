/** Messages of the command line and of `convlab serve`; the CLI writes options as flags. */
import { formatNumber as int } from '../format.js';

import { asKey, type Spell } from './text.js';

const q = (s: string) => JSON.stringify(s);

/** The command line's messages. */
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
  inputOnSeveral: (file: string, inputs: readonly string[]) =>
    `--input sets the shape of a single input, but ${file} has ${inputs.length} inputs (${inputs.map((n) => q(n)).join(', ')}); edit their "shape" in the spec instead`,
  modelOptionSyntax: (token: string) =>
    `cannot read model option ${q(token)}; write --name value, --name=value or --no-name`,
  exclusiveOptions: (a: string, b: string) => `${a} and ${b} each choose what a row is; pass one of them`,
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
  noDataDir: () => '--data DIR is needed (the data set folder, or a parent holding it), or set CONVLAB_DATA',
  wrote: (path: string, bytes: number) => `wrote ${path} (${int(bytes)} bytes)`,
  badPositive: (option: string, received: string) => `${option} must be a positive number; received ${q(received)}`,
  badPort: (received: unknown) => `--port must be an integer from 0 to 65535 (0 picks a free port); received ${JSON.stringify(received)}`,
  portInUse: (port: number, o: Spell = asKey) => `port ${port} is already in use on 127.0.0.1; choose another with ${o('port')} (0 picks a free one)`,
  portDenied: (port: number, o: Spell = asKey) => `port ${port} needs privileges on this system; choose one above 1023 with ${o('port')}`,
  noPage: (root: string) => `the explorer page is not built: ${root}/index.html is missing (run npm run build:web)`,
  notFound: () => 'not found',
  staticOnly: (method: string) =>
    `${method} is not accepted: convlab serve only serves the page's files (GET, HEAD); models are read inside the browser, never uploaded`,
  badHost: (host: string) => `unexpected Host header ${JSON.stringify(host)}: open the explorer through 127.0.0.1 or localhost`,
  listening: (url: string) => `convlab explorer on ${url} (Ctrl-C to stop)`,
  interrupted: (epoch: number, dir: string) => `interrupted during epoch ${epoch}; checkpoint and model saved in ${dir}; continue with --resume`,
  badBatchList: (received: string) => `--batch must be positive integers separated by commas (e.g. 1,8,32); received ${JSON.stringify(received)}`,
  badFormat: (received: string) => `--format must be table or json; received ${JSON.stringify(received)}`,
  unrecognizedModelFile: (arg: string) => `${arg}: unrecognized model file; expected a spec .json, .onnx or model.json`,
  weightsBesideSpec: (weights: string, spec: string) =>
    `--weights ${weights}: the weights file must be in the folder of ${spec} (or below), since the spec names it relative to itself`,
  badNumber: (option: string, range: string, received: string) => `${option} must be a number ${range}; received ${q(received)}`,
  badWholeSeed: (received: string) => `--seed must be a non-negative integer; received ${q(received)}`,
  newHeadNeedsWeights: () => '--new-head applies to weights loaded with --weights DIR',
  needsWeights: (model: string) =>
    `${model} carries no trained weights; eval takes a model directory written by convlab train (or a Keras / tfjs model folder with its weights)`,
  threadsWithWorkers: (workers: number, threads: number) =>
    `--threads ${threads} applies to a single worker; each of ${workers} workers runs one thread (use --workers 1 for a threaded run)`,
} as const;
