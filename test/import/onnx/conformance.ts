/**
 * ONNX's own backend test cases (Debian's libonnx-testdata) run through convlab's run path: each
 * case is a model.onnx and test_data_set_N/{input,output}_K.pb TensorProtos. A case's outcome is
 * "pass", a refusal with its one-line reason, "wrong" (numbers off) or "crash" (not a convlab
 * error). The conformance test runs them; CONVLAB_WRITE_CONFORMANCE=1 makes it rewrite the expectations.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConvlabError } from '../../../src/core/errors.js';
import { runTensors, type RunTensor } from '../../../src/cli/run_tensors.js';
import { DataType, decodeTensor } from '../../../src/onnx/proto.js';
import { tensorValues } from '../../../src/onnx/tensors.js';

/** Where Debian installs the test data. */
export const TESTDATA = process.env.CONVLAB_ONNX_TESTDATA ?? '/usr/share/libonnx-testdata/data';
/** The suites with single-op (node) and PyTorch-exported cases. */
export const SUITES = ['node', 'pytorch-converted'] as const;
/** Tolerances of the comparison with the expected outputs. */
export const ATOL = 1e-4;
export const RTOL = 1e-3;

/** One case: its name (`node/test_conv_with_strides_padding`) and folder. */
export interface Case {
  name: string;
  dir: string;
}

/** A tensor file as a run input: float values, dims and its element type. */
function readTensor(file: string): RunTensor & { dataType: number } {
  const t = decodeTensor(readFileSync(file), file);
  return { shape: [...(t.dims ?? [])], data: tensorValues(t, file), file, dataType: t.dataType ?? 0 };
}

const dataSets = (dir: string): string[] => readdirSync(dir).filter((d) => d.startsWith('test_data_set_')).sort();
const tensorsIn = (dir: string, kind: 'input' | 'output'): string[] => {
  const files = readdirSync(dir).filter((f) => new RegExp(`^${kind}_\\d+\\.pb$`).test(f));
  return files.sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0])).map((f) => join(dir, f));
};

/** A 2-D image case: its first input is a float batch of rank 4 (N, C, H, W). */
function isImageCase(dir: string): boolean {
  const sets = dataSets(dir);
  if (sets.length === 0 || !existsSync(join(dir, 'model.onnx'))) return false;
  const first = tensorsIn(join(dir, sets[0]!), 'input')[0];
  if (!first) return false;
  const t = decodeTensor(readFileSync(first), first);
  return (t.dims ?? []).length === 4 && t.dataType === DataType.FLOAT;
}

/** Every 2-D image case of the suites, sorted by name. */
export function imageCases(): Case[] {
  return SUITES.flatMap((suite) => {
    const root = join(TESTDATA, suite);
    return readdirSync(root).sort().map((c) => ({ name: `${suite}/${c}`, dir: join(root, c) })).filter((c) => isImageCase(c.dir));
  });
}

/** The largest violation of |got − want| ≤ ATOL + RTOL·|want|, as got − want; 0 when within. */
function worst(got: Float32Array, want: Float32Array): number {
  let bad = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    if (!(d <= ATOL + RTOL * Math.abs(want[i]!)) && !(d <= Math.abs(bad))) bad = Number.isNaN(d) ? NaN : d;
  }
  return bad;
}

/** Runs a case (every data set, every output) and says how it went, in one line. */
export async function runCase(c: Case): Promise<string> {
  const model = join(c.dir, 'model.onnx');
  try {
    for (const set of dataSets(c.dir)) {
      const inputs = tensorsIn(join(c.dir, set), 'input').map(readTensor);
      const outputs = tensorsIn(join(c.dir, set), 'output').map(readTensor);
      for (const [k, want] of outputs.entries()) {
        const got = await runTensors(model, inputs, { output: k });
        if (got.shape.join() !== want.shape.join()) return `wrong: ${set} output ${k} has shape (${got.shape}); expected (${want.shape})`;
        const bad = worst(got.data, want.data);
        if (bad !== 0) return `wrong: ${set} output ${k} differs by ${bad}`;
      }
    }
    return 'pass';
  } catch (e) {
    if (!(e instanceof ConvlabError)) return `crash: ${String((e as Error)?.stack ?? e).split('\n').slice(0, 2).join(' | ')}`;
    return `refused: ${e.message.split('\n')[0]!.replaceAll(`${c.dir}/`, '')}`;
  }
}
