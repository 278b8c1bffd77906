/**
 * `convlab export <model> --to <target> -o FILE`. Targets are a table: adding one (`spec`,
 * `keras`) is one entry with its file extensions and a writer.
 */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { toJson } from '../../report/json.js';
import { resolveModel, type ResolvedModel } from '../resolve.js';
import { addWeightsOption, withWeights } from '../weights.js';
import { checkOutput, writeOutput } from '../../core/output.js';
import { noteWrote } from '../output.js';
import { addModelOptions, choice, modelOptionsOf, positiveInt, wholeNumber } from '../options.js';
import { addQuantizeOptions, type QuantizeFlags } from '../quantize_options.js';
import { messages } from '../../core/messages.js';

/** Precisions `--quantize` writes. */
const SCHEMES = ['int8', 'dynamic', 'fp16', 'bf16'] as const;

/** Flags every target may read. */
interface ExportFlags extends QuantizeFlags {
  quantize?: string;
  to: string;
  out: string;
  seed: string;
  weights?: string;
  opset?: string;
  input?: string;
  classes?: string;
}

/** One export format. */
interface ExportTarget {
  /** Extensions the output file may have, without the dot. */
  extensions: readonly string[];
  /** One line for --help. */
  description: string;
  /** The file's content for a loaded model. */
  write(model: ResolvedModel, flags: ExportFlags): Promise<string | Uint8Array>;
}

const onnx: ExportTarget = {
  extensions: ['onnx'],
  description: 'ONNX opset 17+ (NHWC inputs and outputs, seeded Keras-style weights, node names as convlab)',
  async write(model, flags) {
    const { exportModel, exportOnnx } = await import('../../runtime/onnx/export.js');
    const opset = flags.opset !== undefined ? { opset: positiveInt('--opset', flags.opset) } : {};
    // A trained model directory, a Keras model file or --weights brings weights; everything else gets seeded initial weights.
    const weights = model.weights ? { weights: model.weights } : { seed: wholeNumber('--seed', flags.seed) };
    if (flags.quantize === undefined) return exportOnnx(model.graph, { ...weights, ...opset });
    const { quantizeExport } = await import('../quantize_export.js');
    return quantizeExport(model, choice('--quantize', SCHEMES, flags.quantize), flags, () => exportModel(model.graph, { ...weights, ...opset }).model);
  },
};

const spec: ExportTarget = {
  extensions: ['json'],
  description: 'convlab JSON spec (summary, compare and the explorer read it back)',
  async write(model) {
    // The spec of a resolved graph: convlab never writes one it would refuse to read back.
    return `${toJson(model.graph.spec)}\n`;
  },
};

/** Every export target, by the name `--to` takes. */
const EXPORT_TARGETS: Record<string, ExportTarget> = { onnx, spec };

const EXAMPLES = `
Examples:
  $ convlab export resnet50 --to onnx -o resnet50.onnx
  $ convlab export resnet50 --weights imagenet --to onnx -o resnet50-imagenet.onnx   # Keras' ImageNet weights inside
  $ convlab export my_model.keras --to onnx -o my_model.onnx                          # architecture and weights
  $ convlab export mobilenet_v2 --alpha 0.5 --input 160,160,3 --to onnx -o mnv2.onnx --seed 7
  $ convlab export my_net.json --to onnx -o my_net.onnx --opset 18
  $ convlab export lenet5 --to spec -o lenet5.json
  $ convlab export runs/lenet-mnist --to onnx -o lenet-mnist.onnx      # trained weights
  $ convlab export mobilenet --alpha 0.5 --input 160,160,3 --to spec -o mobilenet_050_160.json
  $ convlab export runs/lenet-mnist --to onnx -o lenet.int8.onnx --quantize int8 --calibrate mnist --data ../shared/data
  $ convlab export runs/cnn-cifar --to onnx -o cifar.int8.onnx --quantize int8 --calibrate cifar10 --method entropy
  $ convlab export model.onnx --to onnx -o model.int8.onnx --quantize int8 --calibrate photos/   # an image folder
  $ convlab export runs/fashion-cnn --to onnx -o fashion.dyn.onnx --quantize dynamic           # dense layers, no calibration

--quantize int8 writes QuantizeLinear / DequantizeLinear pairs that ONNX Runtime fuses into int8
kernels (per-channel int8 weights, uint8 activations with ranges from calibration) and prints
which layers stay float and why; see docs/quantize.md.`;

/** Checks --to and the output name against the target table; returns the target. */
export function exportTarget(to: string, out: string): ExportTarget {
  const names = Object.keys(EXPORT_TARGETS);
  const target = EXPORT_TARGETS[to];
  if (!target) throw new UsageError(messages.exportTarget(names, to));
  const ext = /\.([^./]+)$/.exec(out)?.[1]?.toLowerCase();
  // The name is checked only where a file is made: stdout, a pipe or a device take any target.
  if (checkOutput(out).kind === 'file' && (!ext || !target.extensions.includes(ext))) throw new UsageError(messages.outputExtension(out, target.extensions));
  return target;
}

/** Adds `convlab export` to the program. */
export function register(program: Command): void {
  const cmd = program
    .command('export')
    .description('write a model to another format: ' + Object.entries(EXPORT_TARGETS).map(([k, t]) => `${k} (${t.description})`).join('; '))
    .argument('<model>', 'zoo id, spec .json, .onnx, model.json, .keras / full-model .h5, or a trained model directory (its weights are exported)');
  addWeightsOption(cmd);
  addModelOptions(cmd)
    .requiredOption('--to <target>', `target format: ${Object.keys(EXPORT_TARGETS).join(' | ')}`)
    .requiredOption('-o, --out <file>', 'output file')
    .option('--seed <n>', 'seed of the Keras-style initial weights', '0')
    .option('--opset <n>', 'ONNX opset (17 to 21)')
    .option('--quantize <scheme>', `onnx: lower precision: ${SCHEMES.join(' | ')} (int8 = static, calibrated)`);
  addQuantizeOptions(cmd)
    .addHelpText('after', EXAMPLES)
    .action(async (modelArg: string, flags: ExportFlags) => {
      const target = exportTarget(flags.to, flags.out);
      checkOutput(flags.out);
      const options = modelOptionsOf(cmd, flags);
      const data = await target.write(await withWeights(await resolveModel(modelArg, options), flags.weights, options), flags);
      writeOutput(flags.out, data);
      noteWrote(flags.out, typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength);
    });
}
