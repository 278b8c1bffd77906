/**
 * The bad-input table: for every command, inputs a new user gets wrong, each answered by exactly
 * one line (the catalogue's message, options spelled as flags) and exit code 2, nothing on stdout,
 * no stack trace, no file left behind.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { messages } from '../../src/core/messages.js';
import { nearest } from '../../src/core/suggest.js';
import { flagOf } from '../../src/cli/options.js';
import { CHART_KINDS } from '../../src/report/charts.js';
import { FORMATS } from '../../src/report/document.js';
import { MOVE_NAMES } from '../../src/rewrite/moves.js';
import { CHECKPOINT_FILE } from '../../src/runtime/tfjs/run_folder.js';
import { DATASETS } from '../../src/data/datasets.js';
import { dataDir } from '../helpers/paths.js';
import { exportStructure } from '../import/onnx/helpers.js';
import { runCli } from './cli_helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'convlab-bad-input-'));
const at = (name: string) => join(dir, name);
const json = (name: string, value: unknown) => {
  writeFileSync(at(name), JSON.stringify(value));
  return at(name);
};

const relu = (name: string, input: string) => ({ name, op: 'ReLU', inputs: [input] });
const arraySpec = json('array.json', []);
const cycleSpec = json('cycle.json', { name: 'cycle', inputs: [{ name: 'x', shape: [8, 8, 3] }], nodes: [relu('a', 'b'), relu('b', 'a')], outputs: ['b'] });
const twoInputs = json('two.json', {
  name: 'two', inputs: [{ name: 'x', shape: [8, 8, 3] }, { name: 'y', shape: [8, 8, 3] }], nodes: [{ name: 'sum', op: 'Add', inputs: ['x', 'y'] }], outputs: ['sum'],
});
const png = PNG.sync.write(Object.assign(new PNG({ width: 8, height: 8 }), {}));
writeFileSync(at('truncated.png'), png.subarray(0, png.length - 20));
const bnOnnx = at('bn.onnx');
writeFileSync(bnOnnx, exportStructure({ name: 'bn', inputs: [{ name: 'x', shape: [4, 4, 32] }], nodes: [{ name: 'bn', op: 'BatchNorm', inputs: ['x'] }], outputs: ['bn'] }));
const aFolder = at('folder');
mkdirSync(aFolder);
const run = at('run');
mkdirSync(run);
writeFileSync(join(run, 'model.json'), '{}');
const emptyRun = at('empty-run');
mkdirSync(emptyRun);
const downloads = at('downloads');
mkdirSync(downloads);
writeFileSync(join(downloads, 'train-images-idx3-ubyte.gz'), '');

const DATA = ['--data', dataDir()];
const kernel = (path: string, what: string) => messages.badFolder(path, what, 'it is inside /proc, a kernel file system; choose a folder on disk');
const lenetLayers = ['input', 'conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'fc1', 'fc2', 'predictions'];

/** command → [arguments, the exact message]. */
const TABLE: Array<[string, string[], string]> = [
  ['summary', ['summary', arraySpec], messages.specNotObject([])],
  ['summary', ['summary', cycleSpec], messages.cycle(['a', 'b', 'a'])],
  ['summary', ['summary', twoInputs, '--input', '16,16,3'], messages.inputOnSeveral(twoInputs, ['x', 'y'])],
  ['summary', ['summary', 'lenet5', '-o', aFolder], messages.cannotWrite(aFolder, 'it is a folder; name a file inside it')],
  ['summary', ['summary', 'lenet5', '--convention', 'bogus'], messages.badChoice('--convention', ['lecture', 'macs', 'flops'], 'bogus')],
  ['compare', ['compare', 'lenet5', 'alexnet', '-o', '/proc/x/compare.txt'], messages.cannotWrite('/proc/x/compare.txt', 'folder /proc/x does not exist')],
  ['explain', ['explain', 'lenet5', 'conv9'], messages.unknownLayer('lenet5', 'conv9', nearest('conv9', lenetLayers, 3))],
  ['list', ['list', '--format', 'xml'], messages.badChoice('--format', FORMATS, 'xml')],
  ['chart', ['chart', 'bogus', 'lenet5', '-o', at('c.svg')], messages.badChoice('chart kind', CHART_KINDS, 'bogus')],
  ['whatif', ['whatif', 'lenet5', '--move', 'bogus'], messages.unknownMove('bogus', MOVE_NAMES)],
  ['export', ['export', 'lenet5', '--to', 'tflite', '-o', at('x.tflite')], messages.exportTarget(['onnx', 'spec'], 'tflite')],
  ['export', ['export', 'lenet5', '--to', 'onnx', '-o', aFolder], messages.cannotWrite(aFolder, 'it is a folder; name a file inside it')],
  ['import', ['import', bnOnnx, '-o', at('bn.json'), '--weights', at('bn.bin')], messages.noWeights(bnOnnx, 4, ['bn/gamma', 'bn/beta', 'bn/moving_mean'])],
  ['predict', ['predict', 'lenet5', at('missing.png')], messages.imageUnreadable(at('missing.png'), 'ENOENT')],
  ['predict', ['predict', 'lenet5', at('truncated.png')], messages.imageTruncated(at('truncated.png'), 'png', png.length - 20)],
  ['bench', ['bench', 'lenet5', '--batch', '0'], messages.badBatchList('0')],
  ['eval', ['eval', 'lenet5', '--dataset', 'mnist', ...DATA], messages.needsWeights('lenet5')],
  ['train', ['train', 'lenet5', '--dataset', 'cifar10', ...DATA], messages.datasetChannels('cifar10', DATASETS.cifar10.shape, [32, 32, 1], flagOf)],
  ['train', ['train', 'lenet5', '--dataset', 'mnist', ...DATA, '--out', '/proc/x'], kernel('/proc/x', 'run folder')],
  ['train', ['train', 'lenet5', '--dataset', 'mnist', ...DATA, '--out', run], messages.folderInUse(run, 'run folder', flagOf)],
  ['train', ['train', 'lenet5', '--dataset', 'mnist', ...DATA, '--out', emptyRun, '--resume'], messages.noCheckpoint(emptyRun, CHECKPOINT_FILE, flagOf)],
  ['data', ['data', 'download', 'mnist', '--to', '/proc/x/mnist'], kernel('/proc/x/mnist', 'download folder')],
  ['data', ['data', 'download', 'mnist', '--to', downloads], messages.folderInUse(downloads, 'download folder', flagOf)],
  ['serve', ['serve', '--port', '70000'], messages.badPort('70000')],
];

describe(`bad input: ${TABLE.length} rows, one line and exit 2 each`, () => {
  const commands = new Set(TABLE.map(([c]) => c));
  test('every command has a row', () => {
    assert.deepEqual([...commands].sort(), ['bench', 'chart', 'compare', 'data', 'eval', 'explain', 'export', 'import', 'list', 'predict', 'serve', 'summary', 'train', 'whatif']);
  });

  for (const [command, args, expected] of TABLE) {
    test(`${command}: ${expected}`, () => {
      const before = readdirSync(dir).sort();
      const r = runCli(args);
      assert.equal(r.stderr, `convlab: ${expected}\n`);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.deepEqual(readdirSync(dir).sort(), before, 'no file left behind');
    });
  }
});
console.log(`# bad-input table: ${TABLE.length} rows`);
