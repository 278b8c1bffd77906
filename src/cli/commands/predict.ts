/** `convlab predict <model> IMAGE...`: top-k classes for PNG / JPEG images in ONNX Runtime. */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { FITS, type Fit } from '../../image/preprocess.js';
import { classNamesOf, describeRecipe, inputLayout, parseNumbers, parseSize, PREPROCESS_MODES, recipeOf, type RecipeFlags } from '../../image/recipe.js';
import { numCell, textCell, type Report, type Table } from '../../report/document.js';
import { render } from '../../report/format.js';
import { toJson } from '../../report/json.js';
import { deliver } from '../output.js';
import { checkOutput } from '../../core/output.js';
import { addModelOptions, choice, modelOptionsOf, positiveInt, wholeNumber } from '../options.js';
import { onnxBytes, resolveRunnable } from '../resolve.js';
import { addWeightsOption, withWeightsExported } from '../weights.js';
import { numel } from '../../core/numel.js';
import { messages } from '../../core/messages.js';

const PREDICT_FORMATS = ['table', 'json', 'md'] as const;

const EXAMPLES = `
Examples:
  $ convlab predict resnet50 --weights imagenet elephant.jpg       # Keras' ImageNet weights: top-5 with names
  $ convlab predict mobilenet_v2 --weights imagenet cat.jpg --top 3 --format json
  $ convlab predict model.onnx cat.jpg dog.png                     # NHWC or NCHW (PyTorch) input
  $ convlab predict torch_model.onnx cat.jpg --preprocess torch    # torchvision's normalization
  $ convlab predict my_model.keras photo.png --scale 0.00392157 --labels classes.txt
  $ convlab predict runs/lenet-mnist digit.png                     # the recipe training recorded
  $ convlab predict lenet5 digit.png --top 3 --labels digits.txt --fit pad

Images are brought to the model input (--fit crop: scale and centre-crop; pad: shrink to fit and
centre on black; stretch), then normalized as the model records it (zoo metadata, a trained
directory's recipe, an exported file's convlab.meta); the table says what was applied. Flags
override each part: --preprocess none|unit|caffe|tf|torch (Keras' preprocess_input modes, unit =
x/255), --scale, --mean, --std (after scaling), --bgr. Class names come from --labels (one per
line) or the model's metadata (ImageNet's with --weights imagenet).`;

interface PredictFlags {
  top: string;
  labels?: string;
  fit?: string;
  preprocess?: string;
  scale?: string;
  mean?: string;
  std?: string;
  bgr?: boolean;
  size?: string;
  weights?: string;
  threads?: string;
  seed: string;
  format: string;
  out?: string;
  input?: string;
  classes?: string;
}

/** One class guess for one image. */
interface Guess {
  rank: number;
  index: number;
  name: string | null;
  score: number;
}

function readLabels(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(messages.fileUnreadable(file, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
}

/** One HWC sample as CHW, for NCHW models (PyTorch exports). */
function toChw(x: Float32Array, [h, w, c]: readonly number[]): Float32Array {
  const out = new Float32Array(x.length);
  for (let p = 0; p < h! * w!; p++) for (let k = 0; k < c!; k++) out[k * h! * w! + p] = x[p * c! + k]!;
  return out;
}

/** The k largest entries of a row, best first. */
export function topK(row: Float32Array, k: number): Array<{ index: number; score: number }> {
  return Array.from(row, (score, index) => ({ index, score }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, k);
}

/** True when every row is a probability distribution (a softmax head); otherwise scores are raw. */
const areProbabilities = (data: Float32Array, classes: number): boolean => {
  for (let r = 0; r < data.length; r += classes) {
    let sum = 0;
    for (let i = 0; i < classes; i++) {
      const v = data[r + i]!;
      if (v < 0) return false;
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-3) return false;
  }
  return true;
};

/** Adds `convlab predict` to the program. */
export function register(program: Command): void {
  const cmd = program
    .command('predict')
    .description('classify PNG / JPEG images: top-k classes with names when the model has them')
    .argument('<model>', 'zoo id, spec .json, .onnx file, Keras model (.keras, model.json) or trained model directory')
    .argument('<images...>', 'PNG or JPEG files');
  addWeightsOption(cmd);
  addModelOptions(cmd)
    .option('--top <k>', 'classes to show per image', '5')
    .option('--labels <file>', 'class names, one per line (overrides the model metadata)')
    .option('--fit <how>', `bring images to the input size: ${FITS.join(' | ')} (default: as the model records, else crop)`)
    .option('--preprocess <mode>', `normalization: ${PREPROCESS_MODES.join(' | ')} (default: as the model records)`)
    .option('--scale <x>', 'multiply pixels in [0, 255] by x (e.g. 0.00392157 for [0, 1])')
    .option('--mean <m>', 'subtract after scaling: one value or one per channel, comma-separated')
    .option('--std <s>', 'divide by after the mean: one value or one per channel')
    .option('--bgr', 'feed channels as BGR (caffe mode does already)')
    .option('--size <H,W>', "input height and width, for models whose input size is free")
    .option('--threads <n>', 'intra-op threads (default: one per core)')
    .option('--seed <n>', 'seed of the Keras-style weights for zoo ids and spec files', '0')
    .option('--format <name>', `output format: ${PREDICT_FORMATS.join(' | ')}`, 'table')
    .option('-o, --out <file>', 'write the result to a file (atomically) instead of stdout')
    .addHelpText('after', EXAMPLES)
    .action(async (modelArg: string, images: string[], o: PredictFlags) => {
      const format = choice('--format', PREDICT_FORMATS, o.format);
      const k = positiveInt('--top', o.top);
      const flags: RecipeFlags = {
        ...(o.fit !== undefined ? { fit: choice('--fit', FITS, o.fit) as Fit } : {}),
        ...(o.preprocess !== undefined ? { preprocess: choice('--preprocess', PREPROCESS_MODES, o.preprocess) } : {}),
        ...(o.scale !== undefined ? { scale: parseNumbers('--scale', o.scale)[0]! } : {}),
        ...(o.mean !== undefined ? { mean: parseNumbers('--mean', o.mean) } : {}),
        ...(o.std !== undefined ? { std: parseNumbers('--std', o.std) } : {}),
        ...(o.bgr ? { bgr: true } : {}),
      };
      const size = o.size !== undefined ? parseSize(o.size) : null;
      const threads = o.threads === undefined ? availableParallelism() : positiveInt('--threads', o.threads);
      const seed = wholeNumber('--seed', o.seed);
      if (images.length === 0) throw new UsageError(messages.noImages());
      if (o.out) checkOutput(o.out);
      const labels = o.labels ? readLabels(o.labels) : null;
      // Images are read before the model: a wrong path fails in a moment, naming the image.
      const { readImageFile } = await import('../../image/files.js');
      const pictures = images.map((file) => readImageFile(file));

      const options = modelOptionsOf(cmd, o);
      const target = await withWeightsExported(await resolveRunnable(modelArg, options), o.weights, options);
      const { createSession, run, closeSession } = await import('../../runtime/onnx/node.js');
      const { imageToInput } = await import('../../image/preprocess.js');
      const session = await createSession(onnxBytes(target) ?? target.graph!, {
        threads, label: target.label, ...(target.graph ? { graph: target.graph } : {}), ...(target.optimizedCache ? { optimizedCache: target.optimizedCache } : {}),
        export: target.weights ? { weights: target.weights } : { seed },
      });
      try {
        const meta = { ...session.meta, ...target.meta };
        const recipe = recipeOf(meta, flags);
        const { prep, fit } = recipe;
        const input = session.inputs[0]!;
        const layout = inputLayout(input.shape.map((d) => d ?? 0));
        const [hAxis, wAxis] = layout === 'NCHW' ? [1, 2] : [0, 1];
        const shape = input.shape.map((d, i) => d ?? (size && (i === hAxis || i === wAxis) ? size[i === hAxis ? 0 : 1] : null));
        if (shape.some((d) => d === null)) throw new UsageError(messages.freeDims(target.label, input.name, input.shape));
        const dims = shape as number[];
        const hwc = layout === 'NCHW' ? [dims[1]!, dims[2]!, dims[0]!] : dims;
        const per = numel(dims);
        const data = new Float32Array(per * images.length);
        pictures.forEach((picture, i) => {
          const x = imageToInput(picture, hwc, prep, fit);
          data.set(layout === 'NCHW' ? toChw(x, hwc) : x, i * per);
        });
        if (target.source.kind !== 'onnx' && !target.weights && !target.prepared) process.stderr.write(`${messages.seededWeights(target.label, seed)}\n`);

        const out = await run(session, { data, shape: [images.length, ...dims] });
        const y = out[session.outputNames[0]!]!;
        if (y.shape.length !== 2) throw new UsageError(messages.notClassifier(y.shape));
        const classes = y.shape[1]!;
        const names = labels ?? classNamesOf(meta);
        if (names && names.length !== classes) throw new UsageError(messages.labelsCount(o.labels ?? 'the model metadata', names.length, classes));
        const kind = areProbabilities(y.data, classes) ? 'probability' : 'score';
        const results = images.map((file, i) => ({
          file,
          top: topK(y.data.subarray(i * classes, (i + 1) * classes), k).map((g, r): Guess => ({ rank: r + 1, index: g.index, name: names?.[g.index] ?? null, score: g.score })),
        }));
        const json = { model: target.label, input: dims, layout, preprocessing: prep, fit, applied: describeRecipe(recipe), kind, images: results };
        const table = (): Table => ({
          columns: [
            { key: 'image', header: 'Image', numeric: false }, { key: 'rank', header: '#', numeric: true },
            { key: 'class', header: 'Class', numeric: true }, { key: 'name', header: 'Name', numeric: false },
            { key: kind, header: kind === 'probability' ? 'Probability' : 'Score', numeric: true },
          ],
          rows: results.flatMap((r) => r.top.map((g) => [
            textCell(g.rank === 1 ? r.file : ''), numCell(g.rank, String), numCell(g.index, String), textCell(g.name ?? ''), numCell(g.score, (x) => x.toFixed(4)),
          ])),
        });
        const report = (): Report => ({
          title: `Predictions: ${target.label}`,
          facts: [{ label: 'input', text: `(${dims.join(',')}) ${layout}` }, { label: 'preprocessing', text: describeRecipe(recipe) }],
          table: table(), totals: [], sections: [], notes: names ? [] : ['Note: the model has no class names; give --labels FILE to name the classes.'],
        });
        deliver(format === 'json' ? `${toJson(json)}\n` : render(format, { report, csv: table, json: () => json }), o.out);
      } finally {
        await closeSession(session);
      }
    });
}
