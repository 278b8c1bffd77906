/**
 * Golden files: the exact output of `convlab summary` in every format for LeNet-5 and ResNet-50,
 * grouped summaries of models with blocks (GoogLeNet, InceptionV3, ResNet-50, NASNet, a PyTorch
 * ResNet-18 read from ONNX), and of `convlab compare`. Regenerate after an intended change with
 * `UPDATE_GOLDEN=1 node --test dist/test/cli/golden.test.js`, then read the diff before committing.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';
import { runCli } from './cli_helpers.js';

const GOLDEN = join(repoRoot(), 'test', 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

const CASES: Array<{ file: string; args: string[] }> = [
  ...(['table', 'json', 'md', 'csv', 'html'] as const).flatMap((format) => {
    const ext = format === 'table' ? 'txt' : format;
    return [
      { file: `summary_lenet5.${ext}`, args: ['summary', 'lenet5', '--format', format] },
      { file: `summary_resnet50.${ext}`, args: ['summary', 'resnet50', '--format', format] },
    ];
  }),
  { file: 'summary_lenet5_explain.txt', args: ['summary', 'lenet5', '--explain', '--fits', '1GiB'] },
  { file: 'summary_lenet5_explain.csv', args: ['summary', 'lenet5', '--explain', '--format', 'csv'] },
  { file: 'summary_resnet50_group.txt', args: ['summary', 'resnet50', '--group'] },
  { file: 'summary_resnet50_group.csv', args: ['summary', 'resnet50', '--group', '--format', 'csv'] },
  { file: 'summary_resnet50_flops_torch_fp16.txt', args: ['summary', 'resnet50', '--convention', 'flops', '--params', 'torch', '--dtype', 'fp16', '--batch', '8', '--optimizer', 'sgd', '--group'] },
  { file: 'summary_googlenet_group.txt', args: ['summary', 'googlenet', '--group'] },
  { file: 'summary_inception_v3_group.txt', args: ['summary', 'inception_v3', '--group'] },
  { file: 'summary_resnet50_group_depth2.txt', args: ['summary', 'resnet50', '--group', '--depth', '2'] },
  { file: 'summary_nasnet_mobile_group.txt', args: ['summary', 'nasnet_mobile', '--group'] },
  { file: 'summary_resnet18_onnx_group_depth2.txt', args: ['summary', 'test/fixtures/onnx/resnet18.onnx', '--group', '--depth', '2'] },
  { file: 'summary_zfnet_window.txt', args: ['summary', 'zfnet', '--columns', 'window,shape,params,flops'] },
  { file: 'summary_vgg16_by_op.txt', args: ['summary', 'vgg16', '--by-op'] },
  { file: 'compare_lenet5_resnet50.txt', args: ['compare', 'lenet5', 'resnet50'] },
  { file: 'compare_lenet5_resnet50.csv', args: ['compare', 'lenet5', 'resnet50', '--format', 'csv'] },
  { file: 'explain_lenet5_conv1.txt', args: ['explain', 'lenet5', 'conv1', 'pool1'] },
];

describe('golden outputs', () => {
  for (const c of CASES) {
    test(`convlab ${c.args.join(' ')} matches ${c.file}`, () => {
      const r = runCli(c.args, { cwd: repoRoot() });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      const path = join(GOLDEN, c.file);
      if (update || !existsSync(path)) {
        assert.ok(update, `${c.file} is missing; run with UPDATE_GOLDEN=1 to create it`);
        writeFileSync(path, r.stdout);
        return;
      }
      assert.equal(r.stdout, readFileSync(path, 'utf8'), `${c.file} differs; if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff`);
    });
  }
});
