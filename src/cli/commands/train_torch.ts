/** `convlab train --engine torch`: the options of the PyTorch engine and the command's run with it. */
import type { Command } from 'commander';
import { UsageError } from '../../graph/errors.js';
import { resolveGraph } from '../../graph/graph.js';
import type { GraphSpec } from '../../graph/types.js';
import { DATASETS, type DatasetName } from '../../data/datasets.js';
import { int } from '../../report/units.js';
import type { TorchTrainOptions } from '../../runtime/torch/train.js';
import { torchMessages } from '../../runtime/torch/messages.js';
import { choice, positiveInt } from '../options.js';
import { pct, stopOnCtrlC, trainingReport, type Write } from './train_report.js';

export const ENGINES = ['tfjs', 'torch'] as const;
export type Engine = (typeof ENGINES)[number];

/** The torch engine's options as commander reads them. */
export interface TorchOpts {
  nproc?: string;
  nnodes?: string;
  nodeRank?: string;
  masterAddr?: string;
  masterPort?: string;
  device?: string;
  python?: string;
  data: string;
  out?: string;
  resume?: boolean;
  weights?: string;
  newHead?: boolean;
  test: boolean;
  testLimit?: string;
  progress: boolean;
}

/** Options only the torch engine reads, by commander key and flag. */
const TORCH_ONLY = { nproc: '--nproc', nnodes: '--nnodes', nodeRank: '--node-rank', masterAddr: '--master-addr', masterPort: '--master-port', device: '--device', python: '--python' } as const;

/** Registers the torch engine's options on `convlab train`. */
export function addTorchOptions(cmd: Command): void {
  cmd
    .option('--nproc <n>', 'torch: training processes on this machine (default 1; a GPU each on CUDA)')
    .option('--nnodes <n>', 'torch: machines taking part (default 1); run convlab on each, with its --node-rank')
    .option('--node-rank <r>', 'torch: this machine\'s rank, 0 to nnodes − 1 (default 0; node 0 writes the model)')
    .option('--master-addr <host>', 'torch: address of node 0 (default 127.0.0.1)')
    .option('--master-port <port>', 'torch: port on node 0 (default: a free port on one machine, 29500 across machines)')
    .option('--device <name>', 'torch: auto | cpu | cuda (default auto: CUDA when there is a GPU for every process)')
    .option('--python <path>', 'torch: the Python with PyTorch (default: $CONVLAB_PYTHON, then python3, /usr/bin/python3, …)');
}

/** Refuses an option the chosen engine does not read, instead of ignoring it. */
export function checkEngineOptions(cmd: Command, engine: Engine): void {
  const given = (key: string) => cmd.getOptionValueSource(key) === 'cli';
  if (engine === 'tfjs') {
    for (const [key, flag] of Object.entries(TORCH_ONLY)) if (given(key)) throw new UsageError(torchMessages.clusterOnly(flag));
  } else if (given('backend')) {
    throw new UsageError(torchMessages.tfjsOnly('--backend'));
  }
}

/** A whole number in [min, max]; the message names the option. */
function intIn(option: string, received: string, min: number, max: number): number {
  const x = Number(received);
  if (!/^\d+$/.test(received) || x < min || x > max) throw new UsageError(`${option} must be an integer from ${min} to ${max}; received ${JSON.stringify(received)}`);
  return x;
}

/** The recipe the train command has read, as it reads it for the tfjs engine. */
export type Recipe = Pick<TorchTrainOptions, 'epochs' | 'batchSize' | 'optimizer' | 'lr' | 'schedule' | 'momentum' | 'stepEvery' | 'gamma'
  | 'weightDecay' | 'seed' | 'valSplit' | 'limit' | 'standardize' | 'augment' | 'threads'>;

/** Trains with the torch engine and reports as the tfjs engine does. */
export async function trainWithTorch(spec: GraphSpec, dataset: DatasetName, o: TorchOpts, recipe: Recipe, io: { out: Write; err: Write }): Promise<void> {
  const { out, err } = io;
  const nnodes = o.nnodes !== undefined ? positiveInt('--nnodes', o.nnodes) : 1;
  const cluster = {
    nproc: o.nproc !== undefined ? positiveInt('--nproc', o.nproc) : 1,
    nnodes,
    nodeRank: o.nodeRank !== undefined ? intIn('--node-rank', o.nodeRank, 0, nnodes - 1) : 0,
    ...(o.masterAddr !== undefined ? { masterAddr: o.masterAddr } : {}),
    ...(o.masterPort !== undefined ? { masterPort: intIn('--master-port', o.masterPort, 1, 65535) } : {}),
  };
  const device = o.device !== undefined ? choice('--device', ['auto', 'cpu', 'cuda'] as const, o.device) : 'auto';
  const testLimit = o.testLimit !== undefined ? positiveInt('--test-limit', o.testLimit) : undefined;
  const torch = await import('../../runtime/torch/index.js');
  const exclude = o.newHead ? (await import('../../runtime/tfjs/transfer.js')).headNodes(resolveGraph(spec)) : [];
  const ctrlC = stopOnCtrlC(err);
  const report = trainingReport({ progress: o.progress, epochs: recipe.epochs }, out);
  try {
    const r = await torch.trainTorch(spec, {
      ...recipe,
      dataset,
      data: o.data,
      cluster,
      device,
      ...(o.python !== undefined ? { python: o.python } : {}),
      ...(o.out ? { out: o.out } : {}),
      ...(o.resume ? { resume: true } : {}),
      ...(o.weights ? { initialWeights: { dir: o.weights, exclude } } : {}),
      ...(o.test ? { test: testLimit !== undefined ? { limit: testLimit } : {} } : {}),
      signal: ctrlC.signal,
      onStart: (s) => {
        const each = `${s.threads} thread${s.threads > 1 ? 's' : ''}`;
        err(`training on PyTorch ${s.python.torch} (${s.python.python}): ${s.world} process${s.world > 1 ? `es (${s.backend}) × ${each}` : `, ${each}`}, ${s.device}\n`);
        const v = s.data.validation;
        err(`${dataset}: ${int(s.data.train.count)} training samples${v ? `, ${int(v.count)} for validation` : ''}, input ${s.data.input.join('×')}\n`);
      },
      onProgress: report.onProgress,
      onEpoch: report.onEpoch,
    });
    report.stop();
    if (!r.isMain) {
      err(`${torchMessages.otherNode(cluster.nodeRank, nnodes)}\n`);
      return;
    }
    if (r.interrupted) {
      const { tfjsMessages } = await import('../../runtime/tfjs/messages.js');
      err(`${tfjsMessages.interrupted(r.epochs + 1, o.out ?? '(no --out: nothing saved)')}\n`);
      // 128 + SIGINT, as a shell reports an interrupted program; everything is saved by now.
      process.exit(130);
    }
    if (r.test) {
      const { evaluation } = await import('../../runtime/tfjs/metrics.js');
      const ev = evaluation(r.test.scores, r.test.labels, DATASETS[dataset].classCount);
      out(`test: top-1 ${pct(ev.top1)}  top-5 ${pct(ev.top5)}  (${int(ev.count)} samples)\n`);
    }
    if (o.out) out(`saved ${o.out}/model.json, weights.bin, spec.json; log ${o.out}/${torch.TORCH_LOG}; PyTorch source ${o.out}/${torch.RUN_DIR}/model.py\n`);
  } finally {
    report.stop();
    ctrlC.release();
  }
}
