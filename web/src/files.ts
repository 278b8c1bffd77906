/**
 * Model files the user uploads or drops. They are read inside the browser (the server never sees
 * them), checked against a size limit first, and turned into spec text the editor can show.
 */
import { UsageError } from '../../src/core/errors.js';
import { bytes } from '../../src/report/units.js';
import type { GraphSpec } from '../../src/graph/types.js';
import type { Source } from './source.js';
import { formatSpec } from './spec_text.js';

/** Largest spec or model.json the page reads; those of every zoo model are far below it. */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
/** Largest ONNX file: weights make them big (ResNet-50 is about 100 MB), and only the graph is kept. */
export const MAX_ONNX_UPLOAD_BYTES = 512 * 1024 * 1024;

/** Messages of the file readers, in one place. */
export const fileMessages = {
  tooLarge: (name: string, size: number, limit: number) =>
    `${name} is ${bytes(size)}; the explorer reads such files up to ${bytes(limit)} (use convlab summary on the command line for larger ones)`,
  unknownKind: (name: string) => `${name}: expected a convlab spec (.json), a Keras / TensorFlow.js model.json, or an ONNX file (.onnx)`,
} as const;

/** Refuses a file over the limit before reading a byte of it. */
export function checkSize(name: string, size: number, limit: number): void {
  if (size > limit) throw new UsageError(fileMessages.tooLarge(name, size, limit));
}

/** The spec with how many weight tensors and values its file carries written into `meta.source.weights`, for the properties panel. */
export function withWeightCount(spec: GraphSpec, weights: ReadonlyMap<string, Float32Array> | undefined): GraphSpec {
  const meta = spec.meta ?? {};
  const source = typeof meta.source === 'object' && meta.source !== null ? meta.source : {};
  let values = 0;
  for (const w of weights?.values() ?? []) values += w.length;
  return { ...spec, meta: { ...meta, source: { ...source, weights: { tensors: weights?.size ?? 0, values } } } };
}

/** The weights of the ONNX file read last, with the spec text made from it. */
let lastWeights: { text: string; weights: ReadonlyMap<string, Float32Array> } | null = null;

/** The weights that came with the model on screen: an uploaded ONNX file's, while its spec text is unedited. */
export function weightsOfUpload(source: Source): ReadonlyMap<string, Float32Array> | null {
  return source.kind === 'text' && lastWeights !== null && lastWeights.text === source.text ? lastWeights.weights : null;
}

/** Reads an uploaded or dropped file into a source. Throws a ConvlabError the page shows as is. */
export async function readModelFile(file: File): Promise<Source> {
  lastWeights = null;
  if (/\.onnx$/i.test(file.name)) {
    checkSize(file.name, file.size, MAX_ONNX_UPLOAD_BYTES);
    // The importer and its protobuf tables load only when an ONNX file is opened.
    const { importOnnx } = await import('../../src/import/onnx/import.js');
    const bytes = new Uint8Array(await file.arrayBuffer());
    let imported: ReturnType<typeof importOnnx>;
    try {
      imported = importOnnx(bytes, { source: file.name, weights: true });
    } catch {
      // A file exported without parameters has no weights to read: import the graph alone, which reports any real fault.
      imported = importOnnx(bytes, { source: file.name });
    }
    const text = formatSpec(withWeightCount(imported.spec, imported.weights));
    // Kept for timing: the file's own weights run, not seeded ones, while the spec stays as read.
    if (imported.weights && imported.weights.size > 0) lastWeights = { text, weights: imported.weights };
    return { kind: 'text', name: file.name, text };
  }
  if (!/\.json$/i.test(file.name)) throw new UsageError(fileMessages.unknownKind(file.name));
  checkSize(file.name, file.size, MAX_UPLOAD_BYTES);
  return { kind: 'text', name: file.name, text: await file.text() };
}
