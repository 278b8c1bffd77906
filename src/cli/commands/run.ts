/** `convlab run <model> --input in.npy [--input …] -o out.npy`: a model on raw tensors, in its own layout. */
import type { Command } from 'commander';
import { messages } from '../../core/messages.js';
import { readBounded } from '../../import/files.js';
import { checkOutput, writeOutput } from '../../core/output.js';
import { noteOutput } from '../output.js';
import { acceptModelOptions, modelOptionsOf, positiveInt } from '../options.js';

const EXAMPLES = `
Examples:
  $ convlab run model.onnx --input x.npy -o y.npy                 # a PyTorch export: x is NCHW, so is y
  $ convlab run tfjs_model/model.json --input x.npy -o y.npy       # Keras / tfjs: NHWC
  $ convlab run runs/lenet-mnist --input digits.npy -o scores.npy  # trained weights
  $ convlab run conv.onnx --input x.npy --input W.npy --input B.npy -o y.npy   # weights as graph inputs
  $ convlab run model.onnx --input x.npy -o feat.npy --output features
  $ convlab run resnet50 --random-weights --seed 3 --input x.npy -o y.npy      # untrained: says so

Each --input is a NumPy .npy file (float32, float64, float16, int64, int32 or uint8; read as
float32), batch first, in the model's own layout: an ONNX file takes its inputs as it declares
them (NCHW for PyTorch exports); zoo ids, specs, Keras / tfjs models and trained directories
take NHWC. An ONNX file whose weights are graph inputs takes them as further --inputs, in the
order of its graph inputs. The first output (or --output NAME) is written as float32 .npy.
convlab runs its own reading of the model in ONNX Runtime with the weights the model carries; a
zoo id or spec carries none and needs --random-weights.`;

interface RunFlags {
  input?: string[];
  out: string;
  output?: string;
  randomWeights?: boolean;
  seed: string;
  threads?: string;
  classes?: string;
}

/** Adds `convlab run` to the program. */
export function register(program: Command): void {
  const cmd = program
    .command('run')
    .description('run a model on raw tensors in .npy files, in its own layout (NCHW for PyTorch ONNX files); write one output as .npy')
    .argument('<model>', 'zoo id, spec .json, .onnx, model.json or a model directory');
  acceptModelOptions(cmd)
    .option('--input <file.npy>', 'an input tensor, batch first (repeat for several inputs, in input order)', (v: string, prev: string[] = []) => [...prev, v])
    .requiredOption('-o, --out <file.npy>', 'where to write the output tensor (float32 .npy)')
    .option('--output <name>', 'the output to write (default: the first)')
    .option('--random-weights', 'run a model without weights (zoo id, spec) with seeded random weights')
    .option('--seed <n>', 'seed of the random weights (with --random-weights)', '0')
    .option('--threads <n>', 'intra-op threads (default: one per core)')
    .option('--classes <n>', 'number of classes of the classifier (zoo models)')
    .addHelpText('after', EXAMPLES)
    .action(async (modelArg: string, o: RunFlags) => {
      checkOutput(o.out);
      const threads = o.threads === undefined ? undefined : positiveInt('--threads', o.threads);
      const { readNpy, writeNpy } = await import('../../data/npy.js');
      const inputs = (o.input ?? []).map((file) => ({ ...readNpy(readBounded(file, 2 ** 31 - 1, messages.cannotRead), file), file }));
      const { runTensors } = await import('../run_tensors.js');
      const y = await runTensors(modelArg, inputs, {
        model: modelOptionsOf(cmd, { ...(o.classes !== undefined ? { classes: o.classes } : {}) }),
        ...(o.output !== undefined ? { output: o.output } : {}), ...(threads ? { threads } : {}),
        ...(o.randomWeights ? { randomWeights: true } : {}), seed: o.seed,
      });
      if (y.randomWeights !== null) process.stderr.write(`${messages.seededWeights(modelArg, y.randomWeights)}\n`);
      const bytes = writeNpy(y.data, y.shape);
      writeOutput(o.out, bytes);
      noteOutput(o.out, (shown) => messages.wroteTensor(shown, y.name, y.shape));
    });
}
