/** `export --quantize`: the float model (exported, or an .onnx file as it is) turned into one precision variant. */
import type { ResolvedModel } from './resolve.js';
import type { ModelProto } from '../onnx/proto.js';
import type { Variant } from '../runtime/onnx/quantize/variants.js';
import { makeVariants, type QuantizeFlags } from './quantize_options.js';

/** Quantizes a loaded model; prints which layers stayed float and why to stderr; returns the file's bytes. */
export async function quantizeExport(model: ResolvedModel, scheme: Variant, flags: QuantizeFlags, exportFloat: () => ModelProto): Promise<Uint8Array> {
  let fp32: ModelProto;
  if (model.source.kind === 'onnx') {
    // An ONNX file is quantized as it is, with its own weights.
    const { decodeModel } = await import('../onnx/proto.js');
    fp32 = decodeModel(model.source.bytes, model.label);
  } else {
    fp32 = exportFloat();
  }
  const input = model.graph.inputs[0]?.shape ?? [];
  const [made] = await makeVariants(fp32, [scheme], flags, { label: model.label, input: [...input], meta: model.meta });
  const { recordLines } = await import('../runtime/onnx/quantize/report.js');
  if (made!.record) process.stderr.write(`${recordLines(made!.record).join('\n')}\n`);
  return made!.bytes;
}
