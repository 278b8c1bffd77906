/**
 * Keras weights in HDF5, read with h5wasm (the HDF5 C library compiled to WebAssembly): the
 * three layouts Keras writes, turned into one ordered list of stored layers.
 * - Keras 2 `save_weights` (and Keras 3's legacy `.h5`): root attribute `layer_names` (possibly
 *   chunked as `layer_names0`, `layer_names1`, ...), one group per layer with `weight_names`,
 *   each weight a dataset at that (possibly nested) path, in Keras' legacy order: trainable
 *   weights first, then non-trainable ones.
 * - Keras 2 full model `.h5`: the same under `model_weights/`, plus `model_config` (the
 *   architecture as JSON) on the root.
 * - Keras 3 `.weights.h5` (saving_lib): `layers/<class in snake case>[_n]/vars/<i>`, numbered per
 *   class in the order of model.layers; layer names are not stored.
 * Strings may be fixed-length (h5py 2, the published files) or variable-length (newer h5py).
 */
import h5wasm from 'h5wasm/node';
import { ConvlabError, DataError } from '../core/errors.js';
import { messages } from '../core/messages.js';

/** One stored weight tensor. */
export interface StoredWeight {
  /** The name Keras gave it (`conv1/kernel:0`, `kernel`, or the index `0` in Keras 3 files). */
  name: string;
  shape: number[];
  data: Float32Array;
}

/** One stored layer: its name (legacy files) or class path (Keras 3 files) and its weights in order. */
export interface StoredLayer {
  name: string;
  /** Keras 3 files: the layer's class in snake case (`conv2d`) and its index among layers of that class. */
  kerasClass?: { snake: string; index: number };
  weights: StoredWeight[];
}

/** The layouts of Keras weight files. */
export type KerasLayout = 'keras2-weights' | 'keras2-model' | 'keras3-weights';

/** What a Keras HDF5 file holds: its layers with weights, in stored order, and the architecture when saved with it. */
export interface KerasWeightsFile {
  file: string;
  layout: KerasLayout;
  layers: StoredLayer[];
  /** The `model_config` JSON of a Keras 2 full-model file. */
  modelConfig?: unknown;
  kerasVersion?: string;
}

type H5Group = InstanceType<typeof h5wasm.Group>;
type H5Dataset = InstanceType<typeof h5wasm.Dataset>;

let ready: Promise<unknown> | null = null;
/** Loads the HDF5 WebAssembly module once. */
export const h5Ready = (): Promise<unknown> => (ready ??= h5wasm.ready);

/** A string attribute, or a list of them; fixed- and variable-length strings both decode. */
function attrStrings(g: H5Group, name: string): string[] | undefined {
  const a = g.attrs[name];
  if (a === undefined) return undefined;
  const v = a.value;
  const one = (x: unknown): string => (x instanceof Uint8Array ? new TextDecoder().decode(x).replace(/\0+$/, '') : String(x));
  if (Array.isArray(v)) return v.map(one);
  // Keras writes an empty list as an empty float array.
  if (ArrayBuffer.isView(v) && !(v instanceof Uint8Array)) return Array.from(v as unknown as ArrayLike<number>, String);
  return v === null ? [] : [one(v)];
}

/** An attribute Keras may split into `name0`, `name1`, ... when it outgrows the HDF5 header limit. */
function chunkedStrings(g: H5Group, name: string): string[] | undefined {
  const whole = attrStrings(g, name);
  if (whole !== undefined) return whole;
  const out: string[] = [];
  for (let i = 0; ; i++) {
    const part = attrStrings(g, `${name}${i}`);
    if (part === undefined) return i === 0 ? undefined : out;
    out.push(...part);
  }
}

const isGroup = (x: unknown): x is H5Group => x instanceof h5wasm.Group;
const isDataset = (x: unknown): x is H5Dataset => x instanceof h5wasm.Dataset;

/** A dataset's values as float32 (Keras stores float32; counts may be int64). */
function floats(d: H5Dataset, file: string, layer: string, weight: string): StoredWeight {
  const v = d.value;
  const shape = d.shape ?? [];
  let data: Float32Array;
  if (v instanceof Float32Array) data = v;
  else if (v instanceof BigInt64Array || v instanceof BigUint64Array) data = Float32Array.from(v, (x) => Number(x));
  else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) data = Float32Array.from(v as unknown as ArrayLike<number>);
  else if (typeof v === 'number' || typeof v === 'bigint') data = Float32Array.of(Number(v));
  else throw new DataError(messages.storedWeightDtype(file, layer, weight, JSON.stringify(d.dtype)));
  return { name: weight, shape, data };
}

/** Layers of a Keras 2 weights group (the root of save_weights, or model_weights of a full model). */
function legacyLayers(g: H5Group, names: readonly string[], file: string): StoredLayer[] {
  const layers: StoredLayer[] = [];
  for (const name of names) {
    const lg = g.get(name);
    if (!isGroup(lg)) throw new DataError(messages.storedLayerGroup(file, name));
    const weightNames = chunkedStrings(lg, 'weight_names') ?? [];
    if (weightNames.length === 0) continue;
    const weights = weightNames.map((w) => {
      const d = lg.get(w);
      if (!isDataset(d)) throw new DataError(messages.storedWeightMissing(file, name, w));
      return floats(d, file, name, w);
    });
    layers.push({ name, weights });
  }
  return layers;
}

/** Layers of a Keras 3 weights file: `layers/<snake>[_n]/vars/0..`, in the order of their class index. */
function keras3Layers(root: H5Group, file: string): StoredLayer[] {
  const group = root.get('layers');
  if (!isGroup(group)) return [];
  const layers: StoredLayer[] = [];
  for (const key of group.keys()) {
    const lg = group.get(key);
    if (!isGroup(lg)) continue;
    if (lg.keys().includes('layers')) throw new DataError(messages.nestedModel(file, `layers/${key}`));
    const vars = lg.get('vars');
    if (!isGroup(vars) || vars.keys().length === 0) continue;
    const weights = vars.keys()
      .sort((a, b) => Number(a) - Number(b))
      .map((i) => floats(vars.get(i) as H5Dataset, file, key, i));
    const m = /^(.*?)(?:_(\d+))?$/.exec(key)!;
    layers.push({ name: key, kerasClass: { snake: m[1]!, index: m[2] ? Number(m[2]) : 0 }, weights });
  }
  return layers;
}

/**
 * Opens a Keras weights file (.h5 or .weights.h5) and reads every stored layer, in this thread.
 * The HDF5 library can loop forever on some damaged files: callers go through readKerasH5
 * (keras_h5_watchdog.ts), which runs this in a worker it can stop. `diagnostic` gives the HDF5
 * library's own account of the damage, when it printed one.
 */
export async function readKerasH5InThread(path: string, label = path, diagnostic: () => string | undefined = () => undefined): Promise<KerasWeightsFile> {
  await h5Ready();
  let f: InstanceType<typeof h5wasm.File>;
  try {
    f = new h5wasm.File(path, 'r');
  } catch (e) {
    throw new DataError(messages.notHdf5(label, (e as Error).message));
  }
  try {
    const kerasVersion = attrStrings(f, 'keras_version')?.[0];
    const names = chunkedStrings(f, 'layer_names');
    if (names !== undefined) return { file: label, layout: 'keras2-weights', layers: legacyLayers(f, names, label), ...(kerasVersion ? { kerasVersion } : {}) };
    const mw = f.get('model_weights');
    if (isGroup(mw)) {
      const config = attrStrings(f, 'model_config')?.[0];
      const inner = chunkedStrings(mw, 'layer_names') ?? [];
      const version = attrStrings(mw, 'keras_version')?.[0] ?? kerasVersion;
      return {
        file: label, layout: 'keras2-model', layers: legacyLayers(mw, inner, label),
        ...(config ? { modelConfig: JSON.parse(config) as unknown } : {}), ...(version ? { kerasVersion: version } : {}),
      };
    }
    if (isGroup(f.get('layers'))) return { file: label, layout: 'keras3-weights', layers: keras3Layers(f, label) };
    throw new DataError(messages.noKerasLayout(label));
  } catch (e) {
    if (e instanceof ConvlabError) throw e;
    // h5wasm reports damage in its own words ("name not defined!") or trips over a missing object (TypeError).
    const detail = diagnostic() ?? (e instanceof TypeError || e instanceof RangeError ? 'an object it names is missing or unreadable' : String((e as Error)?.message ?? e));
    throw new DataError(messages.hdf5Damaged(label, detail));
  } finally {
    f.close();
  }
}
