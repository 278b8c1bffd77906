/**
 * `convlab import FILE -o spec.json [--weights weights.bin]`: an ONNX file or a Keras /
 * TensorFlow.js model.json becomes a convlab spec, and its weights (Keras layout) a float32 file
 * that spec.meta describes with a TensorFlow.js weights manifest.
 */
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { analyze } from '../../analysis/analyze.js';
import { UsageError } from '../../core/errors.js';
import { toJson } from '../../report/json.js';
import { int } from '../../report/units.js';
import { checkOutput, writeOutput } from '../../core/output.js';
import { noteWrote } from '../output.js';
import { parseInputShape } from '../options.js';
import { messages } from '../../core/messages.js';

interface ImportFlags {
  out: string;
  weights?: string;
  input?: string;
}

const EXAMPLES = `
Examples:
  $ convlab import resnet18.onnx -o resnet18.json
  $ convlab import tiny.onnx -o tiny.json --weights tiny.bin     # weights beside the spec
  $ convlab import model.json -o keras_model.json                 # Keras / TensorFlow.js layers format
  $ convlab import detector.onnx --input 320,320,3 -o det.json    # fixes free ONNX dimensions

Every command also reads .onnx and model.json files directly: convlab summary resnet18.onnx.
Unsupported ONNX ops stop the import with the node's name, op type and index.`;

/** The weights file's name as the spec's manifest records it: relative to the spec's folder, inside it. */
function manifestPath(specPath: string, weightsPath: string): string {
  const rel = relative(dirname(resolve(specPath)), resolve(weightsPath));
  if (rel === '' || rel.split(sep)[0] === '..' || isAbsolute(rel)) {
    throw new UsageError(messages.weightsBesideSpec(weightsPath, specPath));
  }
  return rel.split(sep).map(encodeURIComponent).join('/');
}

export function register(program: Command): void {
  program
    .command('import')
    .description('read an ONNX file or a Keras / TensorFlow.js model.json into a convlab spec (and its weights)')
    .argument('<file>', '.onnx file or model.json')
    .requiredOption('-o, --out <spec.json>', 'spec file to write')
    .option('--weights <file.bin>', 'also write the weights (float32, Keras layout) and describe them in the spec')
    .option('--input <H,W,C>', 'input shape: fixes free ONNX dimensions or replaces the input size')
    .addHelpText('after', EXAMPLES)
    .action(async (file: string, flags: ImportFlags) => {
      if (checkOutput(flags.out).kind === 'file' && !/\.json$/i.test(flags.out)) throw new UsageError(messages.outputExtension(flags.out, ['json']));
      checkOutput(flags.out);
      const binName = flags.weights === undefined ? undefined : manifestPath(flags.out, flags.weights);
      if (flags.weights !== undefined) checkOutput(flags.weights);
      const { importModel, packWeights, specWithWeights } = await import('../../import/index.js');
      const input = flags.input === undefined ? undefined : parseInputShape(flags.input);
      const { graph, weights } = importModel(file, { weights: flags.weights !== undefined, ...(input ? { input } : {}) });
      const a = analyze(graph);
      let spec = graph.spec;
      if (flags.weights !== undefined && weights) {
        const packed = packWeights(graph, weights, binName!);
        spec = specWithWeights(spec, packed.manifest);
        writeOutput(flags.weights, packed.bytes);
        noteWrote(flags.weights, packed.bytes.byteLength);
      }
      const text = `${toJson(spec)}\n`;
      writeOutput(flags.out, text);
      noteWrote(flags.out, Buffer.byteLength(text));
      process.stdout.write(`imported ${basename(file)}: ${int(spec.nodes.length)} nodes, ${int(a.totals.params)} params, output ${a.outputs.map((o) => `[${o.shape.join(', ')}]`).join(', ')}\n`);
    });
}
