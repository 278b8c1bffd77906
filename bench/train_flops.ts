/**
 * Training FLOPs per step against measured train-step time. convlab predicts a step's cost from
 * each op's backward rule (docs/metrics.md): forward + input gradient + weight gradient, under the
 * hardware (`flops`) convention. This script measures, in PyTorch on the CPU, one forward pass and
 * one training step (forward, backward, SGD) of LeNet-5 and ResNet-50 at the same batch, and puts
 * the measured ratio train/forward beside the predicted one, with the GFLOP/s each achieves.
 * Usage: node dist/bench/train_flops.js [--threads 2] [--steps 5]
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/analysis/analyze.js';
import { stepFlops } from '../src/analysis/training_flops.js';
import { resolveGraph } from '../src/graph/graph.js';
import { getModel } from '../src/zoo/index.js';
import { flag } from './tfjs_bench.js';

const CASES = [
  { id: 'lenet5', torch: 'lenet5', batch: 64 },
  { id: 'resnet50_tv', torch: 'resnet50', batch: 8 },
];

const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'torch_train_step.py');
const threads = flag('--threads') ?? '2';
const steps = flag('--steps') ?? '5';

console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; PyTorch CPU, ${threads} threads, median of ${steps}`);
console.log('| model | batch | predicted GFLOPs: forward / step | predicted step/forward | measured forward s / step s | measured step/forward | GFLOP/s forward / step |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const c of CASES) {
  const a = analyze(resolveGraph(getModel(c.id)), { convention: 'flops', params: 'torch' });
  const forward = a.totals.flops * c.batch;
  const step = Number(stepFlops(a.totals, c.batch));
  const r = spawnSync('/usr/bin/python3', [script, '--model', c.torch, '--batch', String(c.batch), '--steps', steps, '--threads', threads], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`torch_train_step.py ${c.torch}: ${r.stderr}`);
  const m = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { forward_s: number; train_step_s: number };
  const g = (x: number) => (x / 1e9).toFixed(2);
  console.log(
    `| ${c.id} | ${c.batch} | ${g(forward)} / ${g(step)} | ${(step / forward).toFixed(2)} | ${m.forward_s.toFixed(4)} / ${m.train_step_s.toFixed(4)} | ` +
      `${(m.train_step_s / m.forward_s).toFixed(2)} | ${g(forward / m.forward_s)} / ${g(step / m.train_step_s)} |`,
  );
}
