/**
 * Where the explored model comes from (a zoo id with options, or text the user pasted or
 * uploaded) and how it becomes an analysis. Everything here runs the library unchanged; the
 * page only turns its errors into something it can show at the right node.
 */
import { analyzeSteps, type Analysis, type AnalyzeOptions } from '../../src/analysis/index.js';
import { ConvlabError } from '../../src/core/errors.js';
import { resolveGraphSteps, type Graph } from '../../src/graph/graph.js';
import { complete, type Steps } from '../../src/core/steps.js';
import type { GraphSpec, Shape } from '../../src/graph/types.js';
import { kerasToSpec } from '../../src/import/keras.js';
import { getModel, type ModelMeta, type ModelOptions } from '../../src/zoo/index.js';
import { parseJsonSteps } from './json_steps.js';

/** A zoo model and the options the page passes to its builder. */
export interface ZooChoice {
  id: string;
  input?: Shape;
  classes?: number;
  includeTop?: boolean;
  /** Family options the builder reads, such as MobileNet's alpha. */
  extra?: Record<string, number>;
}

/**
 * Where the model comes from: a zoo choice, or text pasted, uploaded or opened from a link;
 * `shared` is the link's encoded form of that text while it is unedited.
 */
export type Source = { kind: 'zoo'; choice: ZooChoice } | { kind: 'text'; name: string; text: string; shared?: string };

/** A failure as the page shows it: the library's message and, when known, the node it names. */
export interface Problem {
  message: string;
  kind: string;
  node?: string;
  attribute?: string;
}

export type Outcome = { ok: true; spec: GraphSpec; graph: Graph; analysis: Analysis } | { ok: false; problem: Problem };

/** The builder options for a zoo choice; unset fields keep the builder's defaults. */
export function zooOptions(c: ZooChoice): ModelOptions {
  const o: ModelOptions = { ...(c.extra ?? {}) };
  if (c.input) o.input = [...c.input];
  if (c.classes !== undefined) o.classes = c.classes;
  if (c.includeTop !== undefined) o.includeTop = c.includeTop;
  return o;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** True for Keras / TensorFlow.js model.json content rather than a convlab spec. */
export const isKerasJson = (raw: unknown): boolean =>
  isObj(raw) && (isObj(raw.modelTopology) || (typeof raw.class_name === 'string' && isObj(raw.config)));

/** What a Keras or TensorFlow.js model.json says about who wrote it and where its weights are. */
function kerasSource(raw: Record<string, unknown>): Record<string, unknown> {
  const topology = isObj(raw.modelTopology) ? raw.modelTopology : raw;
  const words = [raw.generatedBy, raw.convertedBy].filter((x) => typeof x === 'string' && x !== '');
  if (typeof topology.keras_version === 'string') words.unshift(`Keras ${topology.keras_version}${typeof topology.backend === 'string' ? ` (${topology.backend})` : ''}`);
  return { ...(words.length ? { producer: [...new Set(words)].join('; ') } : {}), ...(Array.isArray(raw.weightsManifest) ? { weightsManifest: raw.weightsManifest } : {}) };
}

/**
 * Reads pasted or uploaded JSON, a convlab spec or a Keras / TensorFlow.js model.json, and
 * resolves it once: resolving is a third of the work on a 100,000-layer spec.
 */
export function graphFromText(text: string, file: string): Graph {
  return complete(graphFromTextSteps(text, file));
}

/** graphFromText cut into steps: parsing a chunk of text per step, converting is one, resolving one per node. */
function* graphFromTextSteps(text: string, file: string): Steps<Graph> {
  const raw = yield* parseJsonSteps(text, file);
  yield;
  if (isKerasJson(raw)) {
    const spec = kerasToSpec(raw, file);
    const source = isObj(spec.meta?.source) ? spec.meta.source : {};
    yield;
    return yield* resolveGraphSteps({ ...spec, meta: { ...spec.meta, source: { ...source, ...kerasSource(raw as Record<string, unknown>) } } });
  }
  return yield* resolveGraphSteps(raw);
}

/** Turns any thrown value into a Problem; a bug keeps its message so it is still seen. */
export function toProblem(e: unknown): Problem {
  if (e instanceof ConvlabError) {
    const p: Problem = { message: e.message, kind: e.kind };
    if (e.node !== undefined) p.node = e.node;
    if (e.attribute !== undefined) p.attribute = e.attribute;
    return p;
  }
  return { message: `internal error: ${e instanceof Error ? e.message : String(e)}`, kind: 'internal' };
}

/** Builds or parses the source, validates it and analyses it. Never throws. */
export function run(source: Source, settings: AnalyzeOptions): Outcome {
  return complete(runSteps(source, settings));
}

/** run cut into steps (building a zoo model is one), for the page to run in slices. Never throws. */
export function* runSteps(source: Source, settings: AnalyzeOptions): Steps<Outcome> {
  try {
    const graph = source.kind === 'zoo' ? yield* resolveGraphSteps(getModel(source.choice.id, zooOptions(source.choice))) : yield* graphFromTextSteps(source.text, source.name);
    return { ok: true, spec: graph.spec, graph, analysis: yield* analyzeSteps(graph, settings) };
  } catch (e) {
    return { ok: false, problem: toProblem(e) };
  }
}

/** A family option the page offers as a slider when the builder reads it. */
export interface OptionSlider {
  key: string;
  label: string;
  min: number;
  max: number;
  step: number;
  /** The builder's default. */
  fallback: number;
  /** Another value, used to tell whether the option changes the model. */
  probe: number;
}

/** Options with sliders: MobileNet's width multiplier α and depth multiplier. */
export const OPTION_SLIDERS: readonly OptionSlider[] = [
  { key: 'alpha', label: 'α width multiplier', min: 0.25, max: 1.5, step: 0.05, fallback: 1, probe: 0.5 },
  { key: 'depthMultiplier', label: 'depth multiplier', min: 1, max: 4, step: 1, fallback: 1, probe: 2 },
];

const probed = new Map<string, OptionSlider[]>();

/**
 * The sliders a zoo model takes: an option applies when building with another value changes the
 * model. Builders that refuse options they do not read fail the trial build at once, so asking
 * costs next to nothing for them.
 */
export function slidersFor(id: string): OptionSlider[] {
  const known = probed.get(id);
  if (known) return known;
  let base: string | null = null;
  const out = OPTION_SLIDERS.filter((s) => {
    let trial: string;
    try {
      trial = JSON.stringify(getModel(id, { [s.key]: s.probe }).nodes);
    } catch {
      return false;
    }
    base ??= JSON.stringify(getModel(id).nodes);
    return trial !== base;
  });
  probed.set(id, out);
  return out;
}

/** For ids such as `efficientnet_b3`: the compound-scaling coefficient φ and its sibling ids. */
export function phiSiblings(id: string, ids: readonly string[]): { phi: number; byPhi: Map<number, string> } | null {
  const m = /^(.*_b)(\d+)$/.exec(id);
  if (!m) return null;
  const byPhi = new Map<number, string>();
  for (const other of ids) {
    const o = /^(.*_b)(\d+)$/.exec(other);
    if (o && o[1] === m[1]) byPhi.set(Number(o[2]), other);
  }
  return byPhi.size > 1 ? { phi: Number(m[2]), byPhi } : null;
}

/** Models grouped by family, in registry order. */
export function byFamily(models: readonly ModelMeta[]): Map<string, ModelMeta[]> {
  const out = new Map<string, ModelMeta[]>();
  for (const m of models) {
    const list = out.get(m.family);
    if (list) list.push(m);
    else out.set(m.family, [m]);
  }
  return out;
}
