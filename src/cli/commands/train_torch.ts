/** `convlab train --engine torch`: the options of the PyTorch engine and the command's run with it. */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { messages } from '../../core/messages.js';
import type { Graph } from '../../graph/graph.js';
import { DATASETS, type DatasetName } from '../../data/datasets.js';
import { int } from '../../report/units.js';
import type { Cluster } from '../../runtime/torch/launch.js';
import { choice, flagOf, positiveInt } from '../options.js';
import type { RunSettings } from './train_run.js';
import { dataLine, pct, stopOnCtrlC, trainingReport, type Write } from './train_report.js';

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
  threads?: string;
}

/** Options one engine reads and the other does not, by commander key and flag. */
const TORCH_ONLY = { nproc: '--nproc', nnodes: '--nnodes', nodeRank: '--node-rank', masterAddr: '--master-addr', masterPort: '--master-port', device: '--device', python: '--python' } as const;
const TFJS_ONLY = {
  backend: '--backend', workers: '--workers',
  // Fine-tuning on cached features runs the base in ONNX Runtime and the head in TensorFlow.js.
  head: '--head', unfreezeTop: '--unfreeze-top', unfreezeEpochs: '--unfreeze-epochs', unfreezeLr: '--unfreeze-lr', featureCache: '--feature-cache',
} as const;

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
  const foreign = engine === 'tfjs' ? TORCH_ONLY : TFJS_ONLY;
  for (const [key, flag] of Object.entries(foreign)) {
    if (given(key)) throw new UsageError(engine === 'tfjs' ? messages.clusterOnly(flag) : messages.tfjsOnly(flag));
  }
}

/** A whole number in [min, max]; the message names the option. */
function intIn(option: string, received: string, min: number, max: number): number {
  const x = Number(received);
  if (!/^\d+$/.test(received) || x < min || x > max) throw new UsageError(messages.badIntRange(option, min, max, received));
  return x;
}

/** The torch engine's own settings. */
export interface TorchEngine {
  cluster: Partial<Cluster> & { nproc: number; nnodes: number; nodeRank: number };
  device: 'auto' | 'cpu' | 'cuda';
  python?: string;
  threads?: number;
}

/** Checks and converts the torch engine's options; every error names the option. */
export function readTorchEngine(o: TorchOpts): TorchEngine {
  const nnodes = o.nnodes !== undefined ? positiveInt('--nnodes', o.nnodes) : 1;
  return {
    cluster: {
      nproc: o.nproc !== undefined ? positiveInt('--nproc', o.nproc) : 1,
      nnodes,
      nodeRank: o.nodeRank !== undefined ? intIn('--node-rank', o.nodeRank, 0, nnodes - 1) : 0,
      ...(o.masterAddr !== undefined ? { masterAddr: o.masterAddr } : {}),
      ...(o.masterPort !== undefined ? { masterPort: intIn('--master-port', o.masterPort, 1, 65535) } : {}),
    },
    device: o.device !== undefined ? choice('--device', ['auto', 'cpu', 'cuda'] as const, o.device) : 'auto',
    ...(o.python !== undefined ? { python: o.python } : {}),
    ...(o.threads !== undefined ? { threads: positiveInt('--threads', o.threads) } : {}),
  };
}

/** Trains with the torch engine and reports as the tfjs engine does. */
export async function trainWithTorch(graphIn: Graph, dataset: DatasetName, run: RunSettings, engine: TorchEngine, io: { out: Write; err: Write }): Promise<void> {
  const { out, err } = io;
  const torch = await import('../../runtime/torch/index.js');
  const transfer = await import('../../runtime/tfjs/transfer.js');
  const graph = run.freezeBase ? transfer.freezeBase(graphIn) : graphIn;
  const exclude = run.weights?.newHead ? transfer.headNodes(graph) : [];
  const ctrlC = stopOnCtrlC(err);
  const report = trainingReport({ progress: run.progress, epochs: run.train.epochs }, out);
  try {
    const r = await torch.trainTorch(graph, {
      ...run.train,
      dataset,
      data: run.data,
      valSplit: run.valSplit,
      ...(run.limit !== undefined ? { limit: run.limit } : {}),
      ...(run.standardize !== undefined ? { standardize: run.standardize } : {}),
      ...(run.augment !== undefined ? { augment: run.augment } : {}),
      ...(run.out ? { out: run.out } : {}),
      ...(run.resume ? { resume: true } : {}),
      ...(run.force ? { force: true } : {}),
      ...(run.weights ? { initialWeights: { dir: run.weights.dir, exclude } } : {}),
      ...(run.test ? { test: run.testLimit !== undefined ? { limit: run.testLimit } : {} } : {}),
      cluster: engine.cluster,
      device: engine.device,
      ...(engine.python !== undefined ? { python: engine.python } : {}),
      ...(engine.threads !== undefined ? { threads: engine.threads } : {}),
      signal: ctrlC.signal,
      onStart: (s) => {
        const each = `${s.threads} thread${s.threads > 1 ? 's' : ''}`;
        err(`training on PyTorch ${s.python.torch} (${s.python.python}): ${s.world} process${s.world > 1 ? `es (${s.backend}) × ${each}` : `, ${each}`}, ${s.device}\n`);
        err(dataLine(dataset, s.data.train.count, s.data.validation?.count, s.data.input, s.data.preprocessing));
      },
      onProgress: report.onProgress,
      onEpoch: report.onEpoch,
    });
    report.stop();
    if (!r.isMain) {
      err(`${messages.otherNode(engine.cluster.nodeRank, engine.cluster.nnodes, flagOf)}\n`);
      return;
    }
    if (r.interrupted) {
      err(`${messages.interrupted(r.epochs + 1, run.out ?? '(no --out: nothing saved)')}\n`);
      // 128 + SIGINT, as a shell reports an interrupted program; everything is saved by now.
      process.exit(130);
    }
    if (r.test) {
      const { evaluation } = await import('../../runtime/tfjs/metrics.js');
      const ev = evaluation(r.test.scores, r.test.labels, DATASETS[dataset].classCount);
      out(`test: top-1 ${pct(ev.top1)}  top-5 ${pct(ev.top5)}  (${int(ev.count)} samples)\n`);
    }
    if (run.out) out(`saved ${run.out}/model.json, weights.bin, spec.json; log ${run.out}/${torch.TORCH_LOG}; PyTorch source ${run.out}/${torch.RUN_DIR}/model.py\n`);
  } finally {
    report.stop();
    ctrlC.release();
  }
}
