/** tfjs models written as model.json + weights.bin, as tfjs saves them, for import and run tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** What tfjs hands a save handler: topology, weight specs and the concatenated weight bytes. */
export interface Artifacts {
  modelTopology: unknown;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: Uint8Array;
}

/** The artifacts tfjs saves for a model. */
export async function artifactsOf(model: tf.LayersModel): Promise<Artifacts> {
  let saved: Artifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (art) => {
    saved = { modelTopology: art.modelTopology, weightSpecs: art.weightSpecs!, weightData: new Uint8Array(art.weightData as ArrayBuffer) };
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved!;
}

/** Folders writeArtifacts made, until removeArtifacts. */
const written: string[] = [];

/** Writes artifacts as model.json + weights.bin in a fresh folder; returns the model.json path. */
export function writeArtifacts(a: Artifacts): string {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-tfjs-'));
  written.push(dir);
  writeFileSync(join(dir, 'weights.bin'), a.weightData);
  writeFileSync(join(dir, 'model.json'), JSON.stringify({
    format: 'layers-model', generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`, modelTopology: a.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
  }));
  return join(dir, 'model.json');
}

/** Removes every folder writeArtifacts made (a test file's `after`). */
export function removeArtifacts(): void {
  for (const dir of written.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Deterministic values in [-1, 1). */
export function pseudoRandom(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}
