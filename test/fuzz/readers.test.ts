/**
 * Seeded, bounded fuzzing of every reader of outside files: Keras / tfjs model.json (Sequential
 * layers and Functional graphs), trained model folders with their weights manifest and shards in
 * every dtype, Keras HDF5 weights (three layouts) and .keras archives, PNG, JPEG, IDX images and labels (plain and gzip), CIFAR-10 binary and the digits
 * CSV. (ONNX is fuzzed in test/import/fuzz.test.ts.) Each case must read or fail with a one-line
 * ConvlabError: no other exception, no stack trace, and no hang (each case has a time limit in a
 * worker; a case that hangs is recorded and the rest run in a fresh worker). Each reader prints how many cases it ran and how they ended.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { Rng } from '../../src/core/random.js';
import { resolveGraph } from '../../src/graph/graph.js';
import { initWeights } from '../../src/weights/init.js';
import { packWeights } from '../../src/weights/manifest.js';
import { int, mutate, runAll } from '../helpers/fuzz.js';
import { dataDir } from '../helpers/paths.js';
import { kerasFixtures } from '../../scripts/keras_fixtures.js';
import type { FuzzCase, FuzzOutcome, ReaderName } from './worker.js';

/** A case silent this long hangs: every reader here takes milliseconds on inputs this small. */
const CASE_LIMIT_MS = 10_000;
const SEED = 20_261_205;

const utf8 = (s: string) => new TextEncoder().encode(s);
const layer = (class_name: string, config: Record<string, unknown>, inbound?: string) => ({
  class_name, name: config.name, config, ...(inbound === undefined ? {} : { inbound_nodes: inbound ? [[[inbound, 0, 0, {}]]] : [] }),
});

/** A Sequential model.json: its layers a plain list. */
const sequential = {
  format: 'layers-model',
  modelTopology: {
    class_name: 'Sequential',
    config: {
      name: 'seq',
      layers: [
        layer('Conv2D', { name: 'c1', batch_input_shape: [null, 8, 8, 1], filters: 2, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', activation: 'relu' }),
        layer('MaxPooling2D', { name: 'p1', pool_size: [2, 2], strides: [2, 2], padding: 'valid' }),
        layer('Flatten', { name: 'f' }),
        layer('Dropout', { name: 'd', rate: 0.5 }),
        layer('Dense', { name: 'out', units: 3, activation: 'softmax' }),
      ],
    },
  },
};

/** A Functional model.json: a graph with a branch and a merge. */
const functional = {
  format: 'layers-model',
  modelTopology: {
    class_name: 'Functional',
    config: {
      name: 'graph',
      layers: [
        layer('InputLayer', { name: 'x', batch_input_shape: [null, 8, 8, 3] }, ''),
        layer('Conv2D', { name: 'a', filters: 4, kernel_size: [1, 1], padding: 'same' }, 'x'),
        layer('Conv2D', { name: 'b', filters: 4, kernel_size: [3, 3], padding: 'same', dilation_rate: [1, 1] }, 'x'),
        { ...layer('Add', { name: 'sum' }), inbound_nodes: [[['a', 0, 0, {}], ['b', 0, 0, {}]]] },
        layer('BatchNormalization', { name: 'bn', axis: -1, epsilon: 0.001 }, 'sum'),
        layer('GlobalAveragePooling2D', { name: 'gap' }, 'bn'),
        layer('Dense', { name: 'out', units: 5 }, 'gap'),
      ],
      input_layers: [['x', 0, 0]],
      output_layers: [['out', 0, 0]],
    },
  },
};

/** Odd values a structured edit puts into a JSON document. */
const ODD: unknown[] = [null, -1, 0, 1e9, 2 ** 53, 1.5, 'x', '', [], {}, [null], true, [1e9, 1e9], { class_name: 'Lambda' }];

/** One seeded edit of a JSON value: a random node replaced by an odd value, or a key removed. */
function editJson(rng: Rng, doc: unknown): { bytes: Uint8Array; what: string } {
  const copy = JSON.parse(JSON.stringify(doc)) as unknown;
  const spots: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number; path: string }> = [];
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => (spots.push({ parent: v, key: i, path: `${path}[${i}]` }), walk(x, `${path}[${i}]`)));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (spots.push({ parent: v as Record<string, unknown>, key: k, path: `${path}.${k}` }), walk(x, `${path}.${k}`));
  };
  walk(copy, '$');
  const spot = spots[int(rng, spots.length)]!;
  if (int(rng, 5) === 0 && !Array.isArray(spot.parent)) {
    delete (spot.parent as Record<string, unknown>)[spot.key as string];
    return { bytes: utf8(JSON.stringify(copy)), what: `${spot.path} removed` };
  }
  const odd = ODD[int(rng, ODD.length)];
  (spot.parent as Record<string | number, unknown>)[spot.key] = odd;
  return { bytes: utf8(JSON.stringify(copy)), what: `${spot.path} = ${JSON.stringify(odd)}` };
}

/** A trained folder of a small CNN: model.json with its manifest, the shard, spec.json. */
function trainedFolder(): { json: Record<string, unknown>; shard: Uint8Array; spec: Uint8Array } {
  const graph = resolveGraph({
    name: 'small', inputs: [{ name: 'x', shape: [6, 6, 2] }],
    nodes: [
      { name: 'c1', op: 'Conv2D', inputs: ['x'], attrs: { filters: 3, kernelSize: 3 } },
      { name: 'bn', op: 'BatchNorm', inputs: ['c1'] },
      { name: 'gap', op: 'GlobalAvgPool', inputs: ['bn'] },
      { name: 'out', op: 'Dense', inputs: ['gap'], attrs: { units: 4 } },
    ],
    outputs: ['out'],
  });
  const packed = packWeights(graph, initWeights(graph, { seed: 2 }), 'weights.bin');
  return { json: { modelTopology: { class_name: 'Model' }, weightsManifest: packed.manifest }, shard: packed.bytes, spec: utf8(JSON.stringify(graph.spec)) };
}

/** Manifest edits: every dtype and quantization tfjs writes, and ones it does not; shapes, paths, shard lengths. */
function editManifest(rng: Rng, folder: ReturnType<typeof trainedFolder>): Pick<FuzzCase, 'bytes' | 'files'> & { what: string } {
  const json = JSON.parse(JSON.stringify(folder.json)) as { weightsManifest: Array<{ paths: string[]; weights: Array<Record<string, unknown>> }> };
  const group = json.weightsManifest[0]!;
  const w = group.weights[int(rng, group.weights.length)]!;
  let shard = folder.shard;
  const dtypes = ['float32', 'int32', 'bool', 'float16', 'uint8', 'complex64', 'string', 7];
  const quantized = ['uint8', 'uint16', 'float16', 'int8'];
  let what: string;
  switch (int(rng, 7)) {
    case 0:
      w.dtype = dtypes[int(rng, dtypes.length)];
      what = `${String(w.name)} dtype ${JSON.stringify(w.dtype)}`;
      break;
    case 1: {
      const q = quantized[int(rng, quantized.length)]!;
      w.quantization = { dtype: q, scale: 0.5, min: -1 };
      what = `${String(w.name)} quantized ${q}`;
      break;
    }
    case 2:
      w.shape = (w.shape as number[]).map((d) => (int(rng, 2) ? d : [0, -1, 1e9, 2 ** 31, 1.5][int(rng, 5)]!));
      what = `${String(w.name)} shape ${JSON.stringify(w.shape)}`;
      break;
    case 3:
      group.paths = [['../weights.bin', '/etc/passwd', 'sub/../weights.bin', '%2e%2e/x', 'weights.bin', 'weights.bin?x', ''][int(rng, 7)]!];
      what = `paths ${JSON.stringify(group.paths)}`;
      break;
    case 4:
      ({ bytes: shard, what } = mutate(rng, folder.shard));
      what = `shard ${what}`;
      break;
    case 5:
      group.paths = ['weights.bin', 'weights.bin'];
      what = 'the shard named twice';
      break;
    default: {
      const e = editJson(rng, json);
      return { bytes: e.bytes, files: [['weights.bin', shard], ['spec.json', folder.spec]], what: `model.json ${e.what}` };
    }
  }
  return { bytes: utf8(JSON.stringify(json)), files: [['weights.bin', shard], ['spec.json', folder.spec]], what };
}

/** Small valid seeds cut from the shared data sets: a few images and labels each. */
function dataSeeds(): Record<'idxImages' | 'idxLabels' | 'cifar' | 'digits', Uint8Array> {
  const file = (...p: string[]) => gunzipSync(readFileSync(join(dataDir(), ...p)));
  const images = file('mnist', 't10k-images-idx3-ubyte.gz');
  const idxImages = Uint8Array.from(images.subarray(0, 16 + 3 * 784));
  new DataView(idxImages.buffer).setUint32(4, 3);
  const labels = file('mnist', 't10k-labels-idx1-ubyte.gz');
  const idxLabels = Uint8Array.from(labels.subarray(0, 8 + 20));
  new DataView(idxLabels.buffer).setUint32(4, 20);
  const cifar = Uint8Array.from(file('cifar10-subset', 'test.bin.gz').subarray(0, 3 * 3073));
  const digits = utf8(new TextDecoder().decode(file('digits', 'digits.csv.gz')).split('\n').slice(0, 12).join('\n'));
  return { idxImages, idxLabels, cifar, digits };
}

function pngSeed(): Uint8Array {
  const png = new PNG({ width: 6, height: 5 });
  for (let i = 0; i < png.data.length; i++) png.data[i] = (i * 37) & 255;
  return PNG.sync.write(png);
}

function jpegSeed(): Uint8Array {
  const data = Buffer.alloc(8 * 8 * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 53) & 255;
  return jpeg.encode({ width: 8, height: 8, data }, 80).data;
}

/** The three HDF5 layouts Keras writes: Keras 2 save_weights, Keras 2 full model, Keras 3 weights. */
const H5_SEEDS = ['small.h5', 'small.model.h5', 'small.weights.h5'];

/** How many cases each reader gets, and how each case is made. */
function plan(): Array<{ reader: ReaderName; count: number; seed: Pick<FuzzCase, 'bytes' | 'files'>; make: (rng: Rng, i: number) => Omit<FuzzCase, 'reader'> }> {
  const seeds = dataSeeds();
  const folder = trainedFolder();
  const png = pngSeed();
  const fixtures = kerasFixtures();
  const h5Seeds = H5_SEEDS.map((f) => new Uint8Array(readFileSync(join(fixtures, f))));
  const archiveSeed = new Uint8Array(readFileSync(join(fixtures, 'small.keras')));
  const jpg = jpegSeed();
  const folderSeed = { bytes: utf8(JSON.stringify(folder.json)), files: [['weights.bin', folder.shard], ['spec.json', folder.spec]] as Array<[string, Uint8Array]> };
  const bytesOf = (name: string, seed: Uint8Array, gz = false) => (rng: Rng, i: number) => {
    const src = gz && i % 4 === 0 ? gzipSync(seed) : seed;
    const { bytes, what } = mutate(rng, src);
    return { label: `${name} (case ${i}${src === seed ? '' : ', gzip'}: ${what})`, bytes };
  };
  const jsonOf = (name: string, doc: unknown) => (rng: Rng, i: number) => {
    const { bytes, what } = i % 3 === 0 ? mutate(rng, utf8(JSON.stringify(doc))) : editJson(rng, doc);
    return { label: `${name} (case ${i}: ${what})`, bytes };
  };
  return [
    { reader: 'model.json layers', count: 200, seed: { bytes: utf8(JSON.stringify(sequential)) }, make: jsonOf('sequential model.json', sequential) },
    { reader: 'model.json graph', count: 200, seed: { bytes: utf8(JSON.stringify(functional)) }, make: jsonOf('functional model.json', functional) },
    {
      reader: 'weights manifest', count: 200, seed: folderSeed, make: (rng, i) => {
        const { what, ...c } = editManifest(rng, folder);
        return { label: `model folder (case ${i}: ${what})`, ...c };
      },
    },
    { reader: 'keras h5', count: 150, seed: { bytes: h5Seeds[0]! }, make: (rng, i) => bytesOf(`${H5_SEEDS[i % 3]}`, h5Seeds[i % 3]!)(rng, i) },
    { reader: 'keras archive', count: 100, seed: { bytes: archiveSeed }, make: bytesOf('small.keras', archiveSeed) },
    { reader: 'png', count: 200, seed: { bytes: png }, make: bytesOf('image.png', png) },
    { reader: 'jpeg', count: 200, seed: { bytes: jpg }, make: bytesOf('image.jpg', jpg) },
    { reader: 'idx images', count: 200, seed: { bytes: seeds.idxImages }, make: bytesOf('images-idx3-ubyte', seeds.idxImages, true) },
    { reader: 'idx labels', count: 200, seed: { bytes: seeds.idxLabels }, make: bytesOf('labels-idx1-ubyte', seeds.idxLabels, true) },
    { reader: 'cifar', count: 200, seed: { bytes: seeds.cifar }, make: bytesOf('test.bin', seeds.cifar, true) },
    { reader: 'digits csv', count: 200, seed: { bytes: seeds.digits }, make: bytesOf('digits.csv', seeds.digits, true) },
  ];
}


describe('fuzzing every file reader: read, or one ConvlabError line', () => {
  for (const [k, { reader, count, seed, make }] of plan().entries()) {
    const rng = new Rng(SEED, 10 + k);
    const cases: FuzzCase[] = Array.from({ length: count }, (_, i) => ({ reader, ...make(rng, i) }));
    // Case 0 is the seed itself, unmutated: it must read, so the corpus is known to be valid.
    cases[0] = { ...cases[0]!, ...seed, label: `${reader} seed (unmutated)` };
    let run: Promise<{ outcomes: FuzzOutcome[]; hung: number[] }> | undefined;
    const results = () => (run ??= runAll<FuzzCase, FuzzOutcome>(new URL('./worker.js', import.meta.url), cases, CASE_LIMIT_MS));

    test(`${reader}: ${count} seeded cases read or fail with one ConvlabError line`, async () => {
      const { outcomes, hung } = await results();
      assert.equal(outcomes.length + hung.length, cases.length);
      assert.equal(outcomes[0]!.read, true, `the ${reader} seed reads: ${outcomes[0]!.message}`);
      const foreign = outcomes.filter((o) => !o.read && !o.convlab);
      assert.deepEqual(foreign.map((o) => `${cases[o.index]!.label}: ${o.error}: ${o.message}`), [], 'only ConvlabErrors');
      const long = outcomes.filter((o) => o.message !== undefined && (o.message.includes('\n') || /\n\s+at /.test(o.message)));
      assert.deepEqual(long.map((o) => cases[o.index]!.label), [], 'one line each, no stack');
      const read = outcomes.filter((o) => o.read).length;
      console.log(`# fuzz ${reader}: ${count} cases, ${read} read, ${outcomes.length - read} refused with a message, ${hung.length} over ${CASE_LIMIT_MS / 1000} s`);
      assert.ok(read < count, `${reader}: every case read, so none reached a check`);
    });

    test(`${reader}: no case runs past ${CASE_LIMIT_MS / 1000} s`, async () => {
      const { hung } = await results();
      assert.deepEqual(hung.map((i) => cases[i]!.label), []);
    });
  }
});
