/**
 * Model directories in the Keras/tfjs layers format, on the local file system (tfjs-node, which
 * provides file:// handlers, cannot be installed here): `model.json` (topology + weights
 * manifest), `weights.bin`, and convlab's `spec.json` beside them. Reading without tfjs is in
 * model_dir.ts.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { RuntimeError } from '../../core/errors.js';
import type { GraphSpec } from '../../graph/types.js';
import { makeFolder } from '../../core/folders.js';
import { writeOutput } from '../../core/output.js';
import { manifestWeights, MODEL_JSON, readModelFiles, SPEC_JSON, WEIGHTS_BIN, type TrainedMeta } from '../../import/trained.js';
import { messages } from '../../core/messages.js';

/** An IOHandler that saves to and loads from a folder, writing each file atomically (core/output.ts). */
export function fileSystem(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const json: Record<string, unknown> = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.userDefinedMetadata) json['userDefinedMetadata'] = artifacts.userDefinedMetadata;
      makeFolder(dir);
      writeOutput(join(dir, WEIGHTS_BIN), new Uint8Array(weights));
      writeOutput(join(dir, MODEL_JSON), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      return readArtifacts(dir);
    },
  };
}

/** Reads a model directory as tfjs model artifacts. */
function readArtifacts(dir: string): tf.io.ModelArtifacts {
  const files = readModelFiles(dir);
  const { json } = files;
  return {
    modelTopology: json.modelTopology as {},
    weightSpecs: manifestWeights(files) as tf.io.WeightsManifestEntry[],
    weightData: tf.io.CompositeArrayBuffer.join(files.bytes.map((b) => b.buffer as ArrayBuffer)),
    format: json.format ?? 'layers-model',
    ...(json.generatedBy ? { generatedBy: json.generatedBy } : {}),
    convertedBy: json.convertedBy ?? null,
    ...(json.userDefinedMetadata ? { userDefinedMetadata: json.userDefinedMetadata as Record<string, {}> } : {}),
  };
}

/** Saves a model in the layers format with its convlab spec (and metadata) beside it. */
export async function saveModelDir(model: tf.LayersModel, spec: GraphSpec, dir: string, meta: TrainedMeta = {}): Promise<void> {
  model.setUserDefinedMetadata({ convlab: meta });
  await model.save(fileSystem(dir));
  writeOutput(join(dir, SPEC_JSON), `${JSON.stringify(spec, null, 1)}\n`);
}

/** Weights of a model directory by full name (`layer/weight`), decoded. The caller disposes them. */
export function readWeights(dir: string): tf.NamedTensorMap {
  const a = readArtifacts(dir);
  return tf.io.decodeWeights(a.weightData!, a.weightSpecs!);
}

/**
 * Copies weights from a model directory into a model, matching `layer/weight` names (a stored
 * name may carry a prefix, as converted Keras models do). Layers in `exclude` keep their own
 * weights; any other layer with weights must find all of them, of the same shapes.
 */
export function loadWeightsInto(model: tf.LayersModel, dir: string, o: { exclude?: ReadonlySet<string> } = {}): string[] {
  const stored = readWeights(dir);
  const loaded: string[] = [];
  try {
    const find = (name: string): tf.Tensor | undefined => stored[name] ?? Object.entries(stored).find(([k]) => k.endsWith(`/${name}`))?.[1];
    for (const layer of model.layers) {
      if (layer.weights.length === 0 || o.exclude?.has(layer.name)) continue;
      const values = layer.weights.map((w) => {
        const t = find(w.originalName);
        if (!t) throw new RuntimeError(messages.missingWeight(layer.name, w.originalName.split('/').pop()!, dir));
        if (!tf.util.arraysEqual(t.shape, w.shape as number[])) throw new RuntimeError(messages.weightShape(w.originalName, w.shape as number[], t.shape));
        return t;
      });
      layer.setWeights(values);
      loaded.push(layer.name);
    }
  } finally {
    for (const t of Object.values(stored)) t.dispose();
  }
  return loaded;
}

export { MODEL_JSON, SPEC_JSON, WEIGHTS_BIN };
