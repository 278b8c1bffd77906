/**
 * Messages of Keras weight files and published weights: reading HDF5 and .keras archives,
 * binding stored layers to a graph, and fetching ImageNet weights into the Keras cache. Each
 * names the file, the Keras layer and weight, and both shapes where shapes disagree.
 */

import { num, show } from './text.js';

const shape = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** Messages about Keras weight files and published weights. */
export const weightFileMessages = {
  hdf5Damaged: (file: string, detail: string) =>
    `${file}: the HDF5 structure is damaged (${detail}); the file is corrupt or truncated: download or save it again`,
  hdf5Hang: (file: string, seconds: number) =>
    `${file}: reading the HDF5 file did not finish within ${seconds} s and was stopped; the file is likely damaged: download or save it again`,
  notHdf5: (file: string, detail: string) => `${file}: not an HDF5 file (${detail}); expected Keras weights (.h5, .weights.h5) or a .keras archive`,
  notKerasArchive: (file: string, detail: string) => `${file}: not a .keras archive (${detail}); expected a zip holding config.json and model.weights.h5`,
  archiveMember: (file: string, member: string) => `${file}: the archive has no ${member}`,
  noKerasLayout: (file: string) =>
    `${file}: no Keras weights inside: expected a "layer_names" attribute (Keras 2 save_weights), a "model_weights" group (Keras 2 full model) or a "layers" group (Keras 3 .weights.h5)`,
  storedLayerGroup: (file: string, layer: string) => `${file}: "layer_names" lists layer ${show(layer)} but the file has no group of that name`,
  storedWeightMissing: (file: string, layer: string, weight: string) => `${file}: layer ${show(layer)} lists weight ${show(weight)} but holds no dataset of that name`,
  storedWeightDtype: (file: string, layer: string, weight: string, dtype: string) =>
    `${file}: layer ${show(layer)} weight ${show(weight)} has element type ${dtype}; expected a floating-point or integer array`,
  nestedModel: (file: string, path: string) => `${file}: ${path} is a nested model; load the weights of a flat model (one level of layers)`,
  noArchitecture: (file: string) => `${file}: holds weights only (no model_config); give a zoo id or a model file with --weights ${file}`,

  storedLayersCount: (file: string, stored: number, expected: number, firstStored: string | undefined, firstGraph: string | undefined) =>
    `${file}: holds ${num(stored)} layers with weights; the model has ${num(expected)} ` +
    `(first unmatched: ${firstStored ? `stored ${show(firstStored)}` : 'none stored'}, ${firstGraph ? `model ${show(firstGraph)}` : 'none in the model'}); ` +
    `is it the weights of another model or variant (--alpha, --no-top, --input)?`,
  storedLayerCount: (file: string, layer: string, node: string, op: string, stored: readonly string[], expected: readonly string[]) =>
    `${file}: layer ${show(layer)} holds ${stored.length} weight(s) (${stored.join(', ')}); node ${node} (${op}) takes ${expected.length} (${expected.join(', ')})`,
  storedLayerShape: (file: string, layer: string, weight: string, node: string, op: string, stored: readonly number[], expected: readonly number[]) =>
    `${file}: layer ${show(layer)} weight ${show(weight)} has shape ${shape(stored)}; node ${node} (${op}) expects ${expected.length ? shape(expected) : 'a scalar'} for it`,
  storedLayerMissing: (file: string, node: string, op: string, rule: string) =>
    `${file}: no stored layer for node ${node} (${op}) when matching ${rule}`,
  weightsOnTopless: (file: string, extra: readonly string[]) =>
    `${file}: holds ${extra.length} layer(s) the model does not have (${extra.slice(0, 3).map(show).join(', ')}${extra.length > 3 ? ', ...' : ''})`,

  noImagenet: (id: string, known: readonly string[]) =>
    `${id}: no published ImageNet weights (Keras publishes them for ${known.join(', ')}); give a weights file with --weights PATH`,
  imagenetOption: (id: string, option: string, allowed: string, received: unknown) =>
    `${id}: ImageNet weights exist for ${option} ${allowed}; received ${show(received)}`,
  imagenetClasses: (id: string, classes: number) =>
    `${id}: ImageNet weights with the top classify 1000 classes; received --classes ${classes} (use --no-top for another head)`,
  imagenetInput: (id: string, expected: readonly number[], received: readonly number[]) =>
    `${id}: ImageNet weights with the top need input ${shape(expected)}; received ${shape(received)} (use --no-top for another size)`,
  weightsOffline: (url: string, path: string, detail: string) =>
    `cannot download ${url} (${detail}); place the file at ${path} by hand, or set KERAS_HOME to a folder holding models/`,
  cachedMismatch: (path: string, expected: string, received: string) =>
    `${path}: MD5 ${received} differs from the published ${expected}; using the file as it is (delete it to download the published one)`,
  weightsSource: (received: string) =>
    `--weights must be imagenet, a weights file (.h5, .weights.h5, .keras) or an http(s) URL; received ${show(received)}`,
  weightsOnOnnx: (file: string) => `${file}: an .onnx file runs with its own initializers; --weights applies to zoo ids, specs and Keras models`,
  weightsLoaded: (file: string, layers: number, rule: string, skipped: readonly string[]) =>
    `weights: ${file}: ${num(layers)} layers matched ${rule === 'class' ? 'by class (Keras 3)' : `by ${rule}`}${skipped.length ? `; skipped ${skipped.length} (${skipped.slice(0, 3).join(', ')}${skipped.length > 3 ? ', ...' : ''})` : ''}`,
  exportCached: (file: string) => `weights: ${file}: the model exported with them is in convlab's cache ($CONVLAB_CACHE/onnx); the file was not read again`,
  weightsDigest: (file: string, sha256: string) => `weights: ${file}: no published hash to check; SHA-256 ${sha256}`,
  weightsNeedZoo: (model: string) =>
    `--weights imagenet needs a zoo id (convlab list shows them); ${model} is a model file`,
} as const;
