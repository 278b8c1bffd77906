/**
 * What `convlab run` does, callable from tests: resolve a model, bind raw tensors to its inputs in
 * the model's own layout (an ONNX file's NCHW maps stay NCHW; convlab, Keras and tfjs models are
 * NHWC), run convlab's graph of it with the weights it carries in ONNX Runtime, and hand back one
 * output in that same layout. An ONNX file runs as convlab read it (imported, then lowered by
 * convlab's exporter), so the result checks convlab's reading of the file, not the file itself.
 */
import { UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { Layout } from '../import/onnx/values.js';
import type { ModelOptions } from '../zoo/registry.js';
import { exportWeights, requireWeights, resolveRunnable, withInputValues, type ResolvedModel, type WeightsFlags } from './resolve.js';

/** A tensor handed to or returned by `run`, batch first, with the file it came from. */
export interface RunTensor {
  shape: number[];
  data: Float32Array;
  /** Names the tensor in messages (its .npy file). */
  file: string;
}

/** How to run. */
export interface RunOptions extends WeightsFlags {
  /** The output to return: its convlab name, the file's own name, or its index; default the first. */
  output?: string | number;
  threads?: number;
  model?: ModelOptions;
}

/** The chosen output, in the model's own layout, and the seed when weights were random. */
export interface RunResult {
  name: string;
  shape: number[];
  data: Float32Array;
  randomWeights: number | null;
}

/** One model input as the caller feeds it: its convlab name, its layout and its shape without batch as the caller writes it. */
interface Feed {
  tensor: string;
  name: string;
  layout: Layout;
}

/** The model's data inputs in its own terms, in order. */
function feedsOf(m: ResolvedModel): Feed[] {
  const io = m.source.kind === 'onnx' ? m.source.io : null;
  if (io) return io.inputs.map((i) => ({ tensor: i.tensor, name: i.onnx, layout: i.layout }));
  return m.graph.inputs.map((i) => ({ tensor: i.name, name: i.name, layout: 'plain' }));
}

/**
 * Resolves the model with the tensors bound to it: an ONNX file that reads some graph inputs as
 * weights takes them from the files in input order, and the rest are its data inputs.
 */
async function bindInputs(arg: string, inputs: readonly RunTensor[], options: ModelOptions): Promise<{ model: ResolvedModel; data: RunTensor[] }> {
  const m = await withInputValues(await resolveRunnable(arg, options), inputs.map((t) => ({ dims: t.shape, data: t.data })));
  const io = m.source.kind === 'onnx' ? m.source.io : null;
  if (!io || io.parameters.length === 0 || inputs.length !== io.order.length) return { model: m, data: [...inputs] };
  return { model: m, data: inputs.filter((_, k) => !io.parameters.includes(io.order[k]!)) };
}

/** Checks a tensor against a feed and brings it to convlab's NHWC. */
async function toConvlab(t: RunTensor, feed: Feed, shape: readonly number[]): Promise<{ data: Float32Array; shape: number[] }> {
  const nchw = feed.layout === 'nchw';
  const want = nchw ? [shape[2]!, shape[0]!, shape[1]!] : [...shape];
  if (t.shape.length !== want.length + 1 || want.some((d, i) => d !== t.shape[i + 1]) || t.shape[0]! < 1) {
    throw new UsageError(messages.runInputShape(t.file, feed.name, nchw ? 'NCHW' : shape.length === 3 ? 'NHWC' : 'features', ['N', ...want], t.shape));
  }
  if (!nchw) return { data: t.data, shape: t.shape };
  const { permute4, TO_NHWC } = await import('../runtime/onnx/layout.js');
  return permute4(t.data, t.shape, TO_NHWC);
}

/** Runs a model argument on raw tensors and returns one output (see the module comment). */
export async function runTensors(arg: string, inputs: readonly RunTensor[], o: RunOptions = {}): Promise<RunResult> {
  if (inputs.length === 0) throw new UsageError(messages.runNoInput());
  const { model: m, data } = await bindInputs(arg, inputs, o.model ?? {});
  const feeds = feedsOf(m);
  if (data.length !== feeds.length) {
    const io = m.source.kind === 'onnx' ? m.source.io : null;
    const names = io && io.parameters.length > 0 ? io.order : feeds.map((f) => f.name);
    throw new UsageError(messages.runInputCount(m.label, names, inputs.length));
  }
  const weights = requireWeights(m, o);
  const batches: Record<string, { data: Float32Array; shape: number[] }> = {};
  for (const [k, feed] of feeds.entries()) batches[feed.tensor] = await toConvlab(data[k]!, feed, m.graph.shapes.get(feed.tensor)!);

  const outputs = m.source.kind === 'onnx' && m.source.io ? m.source.io.outputs : m.graph.outputs.map((t) => ({ onnx: t, tensor: t, layout: 'plain' as Layout }));
  const chosen = typeof o.output === 'number' ? outputs[o.output] : o.output === undefined ? outputs[0]! : outputs.find((x) => x.tensor === o.output || x.onnx === o.output);
  if (!chosen) throw new UsageError(messages.runOutput(m.label, String(o.output), outputs.map((x) => x.onnx)));

  const { createSession, run, closeSession } = await import('../runtime/onnx/node.js');
  const session = await createSession(m.graph, { label: m.label, export: exportWeights(weights), ...(o.threads ? { threads: o.threads } : {}) });
  try {
    const y = (await run(session, batches))[chosen.tensor]!;
    const { permute4, TO_NCHW } = await import('../runtime/onnx/layout.js');
    const back = chosen.layout === 'nchw' && y.shape.length === 4 ? permute4(y.data, y.shape, TO_NCHW) : y;
    return { name: chosen.onnx, shape: back.shape, data: back.data, randomWeights: weights.kind === 'random' ? weights.seed : null };
  } finally {
    await closeSession(session);
  }
}
