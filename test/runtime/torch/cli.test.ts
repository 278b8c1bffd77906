/**
 * `convlab train --engine torch` end to end, as users run it, on LeNet-5 and 1,024 MNIST digits:
 * a 2-process DistributedDataParallel run on 127.0.0.1 logs the loss curve of a 1-process run
 * with the same global batch; a run stopped with Ctrl-C, resumed, killed with SIGKILL mid-epoch
 * (its PyTorch processes die with it) and resumed again ends on the weights of the uninterrupted
 * run; the trained directory predicts in ONNX Runtime what PyTorch predicted on the whole MNIST
 * test set; and what goes wrong is one line and exit code 2. Every PyTorch start costs seconds,
 * so the runs are few and small, and later tests reuse the first ones' results.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { DATASET_NAMES } from '../../../src/data/datasets.js';
import { loadDataset } from '../../../src/data/load.js';
import { loadEvalData } from '../../../src/runtime/tfjs/data.js';
import { messages } from '../../../src/core/messages.js';
import { flagOf } from '../../../src/cli/options.js';
import { readTrainedDirectory } from '../../../src/import/trained.js';
import { closeSession, createSession, run } from '../../../src/runtime/onnx/node.js';
import { readNpy } from '../../../src/runtime/torch/npy.js';
import { CLI, runCli, type CliResult } from '../../cli/cli_helpers.js';
import { dataDir } from '../../helpers/paths.js';
import { torchPython } from './helpers.js';

const TIMEOUT = { timeout: 600_000 };
const DATA = ['--dataset', 'mnist', '--data', dataDir()];
// One thread per process: results then depend on the seed and the process count only.
const RUN = ['train', 'lenet5', ...DATA, '--engine', 'torch', '--limit', '1024', '--batch-size', '32', '--epochs', '3', '--threads', '1', '--seed', '7'];

interface EpochLine {
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
}
const log = (out: string): EpochLine[] => readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as EpochLine);
const cli = (args: string[], env?: NodeJS.ProcessEnv): CliResult => runCli(args, { ...TIMEOUT, ...(env ? { env: { ...process.env, ...env } } : {}) });

/** Starts `convlab train` and resolves once its stdout or stderr shows `marker`, with the child still running. */
function startUntil(args: string[], marker: RegExp): Promise<{ child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; signal: string | null; stderr: string }> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let seen = false;
    const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((res) => child.on('close', (code, signal) => res({ code, signal, stderr })));
    const watch = () => {
      if (!seen && (marker.test(stdout) || marker.test(stderr))) {
        seen = true;
        resolve({ child, done });
      }
    };
    child.stdout!.on('data', (b: Buffer) => {
      stdout += b.toString();
      watch();
    });
    child.stderr!.on('data', (b: Buffer) => {
      stderr += b.toString();
      watch();
    });
    child.on('close', () => !seen && reject(new Error(`exited before ${marker}: ${stderr}`)));
  });
}

/** Processes whose command line names `path` (the run's files), polled until none is left or `ms` pass. */
async function survivors(path: string, ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(path) && !l.includes(' ps '));
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('convlab train --engine torch', () => {
  let dir: string;
  /** Training samples of RUN, as the run reports them. */
  let trainCount = 0;
  const one = () => join(dir, 'one');
  const two = () => join(dir, 'two');
  before(() => {
    torchPython();
    dir = mkdtempSync(join(tmpdir(), 'convlab-torch-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('one process: a trained directory, its log, the PyTorch source and a test accuracy', () => {
    const r = cli([...RUN, '--out', one()]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^training on PyTorch \S+ \(.+\): 1 process, 1 thread, cpu$/m);
    trainCount = Number(/^mnist: ([\d,]+) training samples/m.exec(r.stderr)?.[1]?.replace(/,/g, ''));
    assert.ok(trainCount > 0, r.stderr);
    assert.match(r.stdout, /^epoch 3\/3 .* samples\/s/m);
    assert.match(r.stdout, /^test: top-1 \d+\.\d+%  top-5 \d+\.\d+%  \(10,000 samples\)$/m);
    for (const f of ['model.json', 'weights.bin', 'spec.json', 'checkpoint.pt', 'log.jsonl', 'torch/model.py']) assert.ok(existsSync(join(one(), f)), f);
    assert.match(readFileSync(join(one(), 'torch', 'model.py'), 'utf8'), /self\.conv1 = nn\.Conv2d\(1, 6, kernel_size=5\)/);
    assert.equal(log(one()).length, 3);
  });

  test('two processes (DDP, gloo, 127.0.0.1): the loss curve of one process with the same global batch', (t) => {
    const r = cli([...RUN, '--nproc', '2', '--out', two()]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /: 2 processes \(gloo\) × 1 thread, cpu$/m);
    const a = log(one());
    const b = log(two());
    assert.equal(b.length, a.length);
    const worst = Math.max(...a.flatMap((e, i) => (['loss', 'valLoss'] as const).map((k) => Math.abs(e[k] - b[i]![k]) / e[k])));
    t.diagnostic(`largest relative difference of the loss curves: ${worst.toExponential(2)}`);
    a.forEach((e, i) => {
      for (const k of ['loss', 'valLoss'] as const) assert.ok(Math.abs(e[k] - b[i]![k]) <= 1e-4 * e[k], `epoch ${i + 1} ${k}: ${e[k]} vs ${b[i]![k]}`);
      assert.ok(Math.abs(e.accuracy - b[i]!.accuracy) <= 2 / trainCount, `epoch ${i + 1} accuracy: ${e.accuracy} vs ${b[i]!.accuracy}`);
    });
  });

  test('Ctrl-C saves and exits 130; the resumed run, killed with SIGKILL, leaves nothing running; --resume then ends on the uninterrupted run\'s weights', async () => {
    const out = join(dir, 'stopped');
    const args = [...RUN, '--nproc', '2', '--no-test', '--out', out];
    // As soon as the processes report their start: the whole run is left for the stop to arrive in.
    const first = await startUntil(args, /^training on PyTorch/m);
    first.child.kill('SIGINT');
    const stopped = await first.done;
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /interrupted during epoch \d; checkpoint and model saved in/);
    assert.ok(existsSync(join(out, 'weights.bin')), 'the model is saved on Ctrl-C');
    // Resumed mid-epoch from Ctrl-C's checkpoint, then killed in the next epoch: the checkpoint of the epoch before stays.
    const second = await startUntil([...args, '--resume'], /^epoch 1\/3/m);
    second.child.kill('SIGKILL');
    assert.equal((await second.done).signal, 'SIGKILL');
    assert.deepEqual(await survivors(join(out, 'torch'), 10_000), [], 'PyTorch processes outlived convlab');
    const resumed = cli([...args, '--resume']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(log(out).map((e) => e.loss), log(two()).map((e) => e.loss));
    assert.ok(readFileSync(join(out, 'weights.bin')).equals(readFileSync(join(two(), 'weights.bin'))), 'weights differ from the uninterrupted run');
  });

  test('ONNX Runtime, on the trained directory, predicts what PyTorch predicted on the MNIST test set', async (t) => {
    const { graph, weights, meta } = readTrainedDirectory(one());
    assert.equal(meta['engine'], 'torch');
    const torchScores = readNpy(join(one(), 'torch', 'test_scores.npy'));
    const testSet = await loadEvalData('mnist', dataDir(), 'test', [32, 32, 1], meta.preprocessing);
    assert.deepEqual(torchScores.shape, [testSet.count, 10]);
    const session = await createSession(graph, { threads: 1, export: { weights } });
    let maxDiff = 0;
    let disagree = 0;
    try {
      const size = 32 * 32;
      for (let start = 0; start < testSet.count; start += 1000) {
        const n = Math.min(1000, testSet.count - start);
        const out = await run(session, { data: testSet.images.subarray(start * size, (start + n) * size), shape: [n, 32, 32, 1] });
        const ort = out[graph.outputs[0]!]!.data;
        for (let i = 0; i < n; i++) {
          let best = [0, 0];
          for (let c = 0; c < 10; c++) {
            const o = ort[i * 10 + c]!;
            const t = torchScores.data[(start + i) * 10 + c]!;
            maxDiff = Math.max(maxDiff, Math.abs(o - t));
            if (o > ort[i * 10 + best[0]!]!) best[0] = c;
            if (t > torchScores.data[(start + i) * 10 + best[1]!]!) best[1] = c;
          }
          if (best[0] !== best[1]) disagree++;
        }
      }
    } finally {
      await closeSession(session);
    }
    t.diagnostic(`${testSet.count} test images: ${disagree} classified differently, probabilities within ${maxDiff.toExponential(2)}`);
    assert.ok(maxDiff <= 1e-4, `max abs diff of the probabilities ${maxDiff}`);
    assert.equal(disagree, 0, `${disagree} of ${testSet.count} samples classified differently`);
  });

  test('eval, predict, bench and export read the trained directory as they read a tfjs-trained one', async () => {
    const r = cli(['eval', one(), ...DATA, '--limit', '300', '--format', 'json', '--threads', '1']);
    assert.equal(r.code, 0, r.stderr);
    const ev = JSON.parse(r.stdout);
    assert.equal(ev.count, 300);
    assert.ok(ev.top1 > 0.5, `top-1 ${ev.top1}`);

    // The first test digit as a PNG: predict's class is the one PyTorch gave it.
    const digit = await loadDataset('mnist', dataDir(), 'test', { limit: 1 });
    const png = new PNG({ width: 28, height: 28 });
    digit.images.forEach((v, i) => png.data.set([v, v, v, 255], i * 4));
    const file = join(dir, 'digit.png');
    writeFileSync(file, PNG.sync.write(png));
    const predicted = cli(['predict', one(), file, '--format', 'json']);
    assert.equal(predicted.code, 0, predicted.stderr);
    const torchScores = readNpy(join(one(), 'torch', 'test_scores.npy')).data.subarray(0, 10);
    assert.equal(JSON.parse(predicted.stdout).images[0].top[0].index, torchScores.indexOf(Math.max(...torchScores)));

    const onnx = join(dir, 'lenet-torch.onnx');
    assert.equal(cli(['export', one(), '--to', 'onnx', '-o', onnx]).code, 0);
    assert.ok(existsSync(onnx));
    const bench = cli(['bench', one(), '--batch', '1', '--runs', '3', '--threads', '1']);
    assert.equal(bench.code, 0, bench.stderr);
  });

  test('transfer learning: a frozen base keeps its weights bit for bit, the new head learns; --force replaces an earlier run', () => {
    const out = join(dir, 'fashion-head');
    // An earlier run's checkpoint and log: --force starts over, so neither survives into this one.
    mkdirSync(out);
    writeFileSync(join(out, 'checkpoint.pt'), 'an earlier run');
    writeFileSync(join(out, 'log.jsonl'), '{"epoch": 1, "loss": 9}\n{"epoch": 2, "loss": 9}\n');
    const r = cli(['train', 'lenet5', '--dataset', 'fashion-mnist', '--data', dataDir(), '--engine', 'torch', '--limit', '512', '--epochs', '1', '--threads', '1',
      '--weights', one(), '--freeze-base', '--new-head', '--lr', '0.01', '--no-test', '--out', out, '--force']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(log(out).length, 1);
    assert.notEqual(log(out)[0]!.loss, 9);
    const before = readTrainedDirectory(one()).weights;
    const after = readTrainedDirectory(out).weights;
    for (const [key, values] of before) {
      const same = Buffer.from(values.buffer, values.byteOffset, values.byteLength).equals(Buffer.from(after.get(key)!.buffer, after.get(key)!.byteOffset, after.get(key)!.byteLength));
      assert.equal(same, !key.startsWith('predictions/'), `${key}: ${same ? 'unchanged' : 'changed'}`);
    }
  });

  test('what goes wrong is one line and exit code 2', () => {
    const oneLine = (r: CliResult, message: string) => {
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, `convlab: ${message}\n`);
    };
    const absent = join(dir, 'no-python-here');
    oneLine(cli([...RUN, '--out', join(dir, 'x')], { CONVLAB_PYTHON: absent }), messages.namedPythonFails(absent, 'CONVLAB_PYTHON', 'not found', flagOf));
    oneLine(cli([...RUN, '--out', join(dir, 'fresh'), '--resume']), messages.noTorchCheckpoint(join(dir, 'fresh'), 'checkpoint.pt', flagOf));
    oneLine(cli([...RUN, '--out', one(), '--backend', 'cpu']), messages.tfjsOnly('--backend'));
    oneLine(cli([...RUN, '--out', one(), '--head', 'gap']), messages.tfjsOnly('--head'));
    oneLine(cli([...RUN, '--out', one()]), messages.folderInUse(one(), 'run folder', flagOf));
    oneLine(cli(['train', 'lenet5', '--dataset', 'folder:photos', '--engine', 'torch']), messages.torchNamedDatasets('folder:photos', DATASET_NAMES, flagOf));
    oneLine(cli(['train', 'lenet5', ...DATA, '--nproc', '2']), messages.clusterOnly('--nproc'));
    const copy = join(dir, 'copy');
    cpSync(one(), copy, { recursive: true });
    const checkpoint = join(copy, 'checkpoint.pt');
    oneLine(cli([...RUN, '--epochs', '5', '--lr', '0.01', '--out', copy, '--resume']), messages.checkpointMismatch(checkpoint, 'epochs', 3, 5, flagOf));
    writeFileSync(checkpoint, 'not a checkpoint');
    const damaged = cli([...RUN, '--epochs', '5', '--out', copy, '--resume']);
    assert.equal(damaged.code, 2, damaged.stderr);
    assert.match(damaged.stderr, /^convlab: .*checkpoint\.pt: corrupt or unreadable checkpoint \(.+\); delete it or start without --resume\n$/);
  });
});
