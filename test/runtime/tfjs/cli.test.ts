/**
 * `convlab train` and `convlab eval` end to end, as users run them: a short LeNet run writes its
 * model directory and log; eval prints JSON and draws a chart; Ctrl-C saves and --resume finishes;
 * a run killed with SIGKILL after an epoch resumes to the same log as an uninterrupted run.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, runCli } from '../../cli/cli_helpers.js';
import { dataDir } from '../../helpers/paths.js';
import { messages } from '../../../src/core/messages.js';

let dir: string;
const DATA = ['--dataset', 'mnist', '--data', dataDir()];
const SMALL = [...DATA, '--limit', '640', '--batch-size', '32', '--test-limit', '200', '--threads', '1', '--seed', '5'];

/** Starts `convlab train` and resolves once stdout shows `marker`, with the child still running. */
function startUntil(args: string[], marker: RegExp): Promise<{ child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let seen = false;
    const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((res) => {
      child.on('close', (code, signal) => res({ code, signal, stdout, stderr }));
    });
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      if (!seen && marker.test(stdout)) {
        seen = true;
        resolve({ child, done });
      }
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', () => {
      if (!seen) reject(new Error(`exited before ${marker}: ${stderr}`));
    });
  });
}

const losses = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).loss as number);

describe('convlab train / eval', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'convlab-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('train writes the model directory, the log and a test accuracy', () => {
    const out = join(dir, 'lenet');
    const r = runCli(['train', 'lenet5', ...SMALL, '--epochs', '2', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^epoch 2\/2 .* samples\/s/m);
    assert.match(r.stdout, /^test: top-1 \d+\.\d+%  top-5 \d+\.\d+%  \(200 samples\)$/m);
    for (const f of ['model.json', 'weights.bin', 'spec.json', 'checkpoint.ckpt', 'log.jsonl']) assert.ok(existsSync(join(out, f)), f);
    assert.equal(losses(join(out, 'log.jsonl')).length, 2);
  });

  test('by default train uses a worker per core and standardizes MNIST; --threads 2 --no-standardize does neither', () => {
    const parallel = runCli(['train', 'lenet5', ...DATA, '--limit', '200', '--epochs', '1', '--no-test', '--workers', '2']);
    assert.equal(parallel.code, 0, parallel.stderr);
    assert.match(parallel.stderr, /^training on wasm \(2 workers, 1 thread each/m);
    assert.match(parallel.stderr, /^mnist: 180 training samples, 20 for validation, input 32×32×1, standardized \(mean 0\.\d+, std 0\.\d+\)$/m);
    const single = runCli(['train', 'lenet5', ...DATA, '--limit', '200', '--epochs', '1', '--no-test', '--threads', '2', '--no-standardize']);
    assert.equal(single.code, 0, single.stderr);
    assert.match(single.stderr, /^training on wasm \(2 threads/m);
    assert.match(single.stderr, /input 32×32×1, pixels in \[0, 1\]$/m);
  });

  test('--help states the defaults; bad worker settings and a missing data folder are one-line errors', () => {
    const help = runCli(['train', '--help']);
    assert.match(help.stdout, /--workers <n> +data-parallel worker threads/);
    assert.match(help.stdout, /^Defaults: Adam, learning rate 0\.001, batch 64, 10 epochs/m);
    const both = runCli(['train', 'lenet5', ...DATA, '--workers', '2', '--threads', '2']);
    assert.equal(both.code, 2);
    assert.equal(both.stderr, `convlab: ${messages.threadsWithWorkers(2, 2)}\n`);
    assert.equal(runCli(['train', 'lenet5', ...DATA, '--workers', '0']).code, 2);
    const env = { ...process.env };
    delete env['CONVLAB_DATA'];
    const noData = runCli(['train', 'lenet5', '--dataset', 'mnist'], { env });
    assert.equal(noData.code, 2);
    assert.equal(noData.stderr, `convlab: ${messages.noDataDir()}\n`);
    const fromEnv = runCli(['eval', join(dir, 'lenet'), '--dataset', 'mnist', '--limit', '50', '--threads', '1'], { env: { ...env, CONVLAB_DATA: dataDir() } });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
  });

  test('eval prints the figures as JSON and draws the chart', () => {
    const out = join(dir, 'lenet');
    const chart = join(dir, 'eval.png');
    const r = runCli(['eval', out, ...DATA, '--limit', '200', '--format', 'json', '--chart', chart, '--threads', '1']);
    assert.equal(r.code, 0, r.stderr);
    const ev = JSON.parse(r.stdout);
    assert.equal(ev.count, 200);
    assert.equal(ev.confusion.flat().reduce((a: number, b: number) => a + b, 0), 200);
    assert.ok(ev.top1 > 0.3 && ev.top5 >= ev.top1, `top-1 ${ev.top1}, top-5 ${ev.top5}`);
    assert.equal(ev.perClass.length, 10);
    assert.deepEqual([...readFileSync(chart).subarray(1, 4)], [...Buffer.from('PNG')]);
  });

  test('Ctrl-C saves a checkpoint and exits 130; --resume finishes the run', async () => {
    const out = join(dir, 'sigint');
    const args = ['train', 'lenet5', ...SMALL, '--epochs', '3', '--out', out];
    const { child, done } = await startUntil(args, /^epoch 1\/3/m);
    child.kill('SIGINT');
    const first = await done;
    assert.equal(first.code, 130, first.stderr);
    assert.match(first.stderr, /interrupted during epoch 2; checkpoint and model saved in/);
    const resumed = runCli([...args, '--resume']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(losses(join(out, 'log.jsonl')).length, 3);
  });

  test('killed with SIGKILL after epoch 1, the resumed run logs what an uninterrupted run logs', async () => {
    const whole = join(dir, 'whole');
    const killed = join(dir, 'killed');
    const base = ['train', 'lenet5', ...SMALL, '--epochs', '3', '--no-test'];
    assert.equal(runCli([...base, '--out', whole]).code, 0);
    const { child, done } = await startUntil([...base, '--out', killed], /^epoch 1\/3/m);
    child.kill('SIGKILL');
    assert.equal((await done).signal, 'SIGKILL');
    const resumed = runCli([...base, '--out', killed, '--resume']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(losses(join(killed, 'log.jsonl')), losses(join(whole, 'log.jsonl')));
  });

  test('a damaged checkpoint is one line on stderr and exit code 2', () => {
    const out = join(dir, 'lenet');
    writeFileSync(join(out, 'checkpoint.ckpt'), 'not a checkpoint');
    const r = runCli(['train', 'lenet5', ...SMALL, '--epochs', '2', '--out', out, '--resume']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^convlab: .*checkpoint\.ckpt: corrupt or unreadable checkpoint \(bytes 0-7 are "not a ch", expected "CLCKPT01"\); delete it or start without --resume\n$/m);
  });
});
