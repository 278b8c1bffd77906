/**
 * `convlab predict resnet50 --weights imagenet x.jpg` with the weights already in the Keras
 * cache (a generated file of the published layout under the published name): wall time of the
 * whole command against a bare `node -e 0` (the first run, which reads the weights and fills the
 * export cache, and the later ones, which open the cached model), and the first run's work
 * in-process phase by phase (build the graph, read the 98 MiB file in the HDF5 worker, bind,
 * export to ONNX and open the session, decode and preprocess the image, run). Goal: under a
 * second after start-up.
 * Usage: node dist/bench/imagenet_predict.js [runs]   (default 7; medians reported)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { resolveGraph } from '../src/graph/graph.js';
import { decodeImage } from '../src/image/decode.js';
import { imageToInput } from '../src/image/preprocess.js';
import { closeSession, createSession, run } from '../src/runtime/onnx/node.js';
import { bindKerasWeights } from '../src/weights/keras_bind.js';
import { readKerasH5 } from '../src/weights/keras_h5_watchdog.js';
import { getModel } from '../src/zoo/index.js';
import { kerasFixtures } from '../scripts/keras_fixtures.js';
import { repoRoot } from '../scripts/repo.js';
import { median } from './timing.js';

const runs = Number(process.argv[2] ?? 7);
const cli = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'convlab-bench-imagenet-'));
const cacheFile = join(work, 'keras', 'models', 'resnet50_weights_tf_dim_ordering_tf_kernels.h5');
mkdirSync(join(work, 'keras', 'models'), { recursive: true });
copyFileSync(join(kerasFixtures(), 'resnet50.h5'), cacheFile);

// A 640×480 photo-sized JPEG: what predict decodes, resizes and crops.
const width = 640;
const height = 480;
const rgba = new Uint8Array(width * height * 4);
for (let i = 0; i < width * height; i++) rgba.set([(i % width) % 256, Math.floor(i / width) % 256, (i * 7) % 256, 255], i * 4);
const photo = join(work, 'x.jpg');
writeFileSync(photo, jpeg.encode({ data: rgba, width, height }, 90).data);

/** Wall milliseconds of one process; fails loudly so a broken command cannot look fast. */
function wall(args: string[], env: NodeJS.ProcessEnv): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const env = { ...process.env, KERAS_HOME: join(work, 'keras'), CONVLAB_CACHE: join(work, 'cache') };
const predictArgs = [cli, 'predict', 'resnet50', '--weights', 'imagenet', photo];
// The first run records the file's digests and fills convlab's export cache (the ONNX file and
// ORT's optimized form of it); the timed runs open those, as a user's second predict does.
const firstRun = wall(predictArgs, env);
const bare: number[] = [];
const whole: number[] = [];
for (let i = 0; i < runs; i++) {
  bare.push(wall(['-e', '0'], env));
  whole.push(wall(predictArgs, env));
}

/** The predict path in-process, each phase timed. */
async function phases(): Promise<Record<string, number>> {
  const t: Record<string, number> = {};
  let at = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    t[name] = now - at;
    at = now;
  };
  const graph = resolveGraph(getModel('resnet50'));
  lap('build and resolve the graph');
  const stored = await readKerasH5(cacheFile);
  lap('read the 98 MiB weights file (worker start and HDF5 module included)');
  const { weights } = bindKerasWeights(graph, stored);
  lap('bind 107 layers by Keras order');
  const session = await createSession(graph, { threads: availableParallelism(), export: { weights } });
  lap('export to ONNX and open the session');
  const x = imageToInput(decodeImage(readFileSync(photo), photo), [224, 224, 3], { mode: 'caffe' }, 'crop');
  lap('decode and preprocess the image');
  await run(session, { data: x, shape: [1, 224, 224, 3] });
  lap('run ResNet-50 (first run)');
  await closeSession(session);
  return t;
}

const samples: Array<Record<string, number>> = [];
for (let i = 0; i < Math.min(runs, 5); i++) samples.push(await phases());
const names = Object.keys(samples[0]!);

console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}, ${availableParallelism()} cores, ${runs} runs\n`);
console.log('| command | median ms | min ms |');
console.log('|---|---:|---:|');
console.log(`| \`node -e 0\` | ${median(bare).toFixed(0)} | ${Math.min(...bare).toFixed(0)} |`);
console.log(`| \`convlab predict resnet50 --weights imagenet x.jpg\` | ${median(whole).toFixed(0)} | ${Math.min(...whole).toFixed(0)} |`);
console.log(`| the same, first run (weights read, export cache filled) | ${firstRun.toFixed(0)} | |`);
console.log(`\nafter start-up (predict − node -e 0, medians): ${(median(whole) - median(bare)).toFixed(0)} ms (goal < 1000 ms)\n`);
console.log(`| phase, in-process | median ms (${samples.length} runs) |`);
console.log('|---|---:|');
for (const n of names) console.log(`| ${n} | ${median(samples.map((s) => s[n]!)).toFixed(0)} |`);
console.log(`| total | ${median(samples.map((s) => names.reduce((a, n) => a + s[n]!, 0))).toFixed(0)} |`);
rmSync(work, { recursive: true, force: true });
