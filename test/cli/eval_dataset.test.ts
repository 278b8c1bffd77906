/** `eval` takes its data set from the model's metadata, warns when --dataset contradicts it, and asks for one when nothing records it. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { messages } from '../../src/core/messages.js';
import { DATASET_NAMES } from '../../src/data/datasets.js';
import { dataDir } from '../helpers/paths.js';
import { runCli } from './cli_helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'convlab-eval-dataset-'));
const recorded = join(dir, 'lenet5-mnist.onnx');
const bare = join(dir, 'lenet5.onnx');

describe('eval reads the data set from the model', () => {
  before(() => {
    const spec = join(dir, 'lenet5.json');
    assert.equal(runCli(['export', 'lenet5', '--to', 'spec', '-o', spec]).code, 0);
    const json = JSON.parse(readFileSync(spec, 'utf8')) as { meta: Record<string, unknown> };
    json.meta.dataset = 'mnist';
    writeFileSync(spec, JSON.stringify(json));
    assert.equal(runCli(['export', spec, '--random-weights', '--to', 'onnx', '-o', recorded]).code, 0);
    assert.equal(runCli(['export', 'lenet5', '--random-weights', '--to', 'onnx', '-o', bare]).code, 0);
  });

  it('uses the recorded data set without --dataset', () => {
    const r = runCli(['eval', recorded, '--data', dataDir(), '--limit', '20', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { dataset: string }).dataset, 'mnist');
  });

  it('warns when --dataset contradicts the record, and evaluates on the one asked for', () => {
    const r = runCli(['eval', recorded, '--dataset', 'fashion-mnist', '--data', dataDir(), '--limit', '20', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`warning: ${messages.datasetContradicts(recorded, 'mnist', 'fashion-mnist').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    assert.equal((JSON.parse(r.stdout) as { dataset: string }).dataset, 'fashion-mnist');
  });

  it('asks for --dataset when the model records none', () => {
    const r = runCli(['eval', bare, '--data', dataDir(), '--limit', '20']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim(), `convlab: ${messages.evalNeedsDataset(bare, DATASET_NAMES)}`);
  });
});
