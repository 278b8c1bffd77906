/**
 * Scaling moves over a whole model: width (MobileNet's α), resolution (MobileNet's ρ, or a size),
 * and EfficientNet's compound scaling of depth, width and resolution together.
 */
import { resolveGraph, type Graph } from '../graph/graph.js';
import type { GraphSpec } from '../graph/types.js';
import { roundFilters } from '../zoo/efficientnet.js';
import { mobilenetFilters } from '../zoo/mobilenet.js';
import { makeDivisible } from '../zoo/mobilenet_v2.js';
import { numberArg } from './args.js';
import { ChangeLog } from './compose.js';
import { depth } from './depth.js';
import { refit, SpecEdit } from './edit.js';
import { messages } from '../core/messages.js';
import { MoveName, type Change, type ModelMove } from './types.js';
import { RefusedError } from './refused.js';

/** How a family rounds a width multiplied by α, as its builder does. */
export interface WidthRounding {
  doc: string;
  round(channels: number, alpha: number): number;
}

/** The families whose builders round widths their own way; the rest round to the nearest integer. */
export const WIDTH_ROUNDING: Record<string, WidthRounding> = {
  mobilenet: { doc: "Keras' int(filters·α), which the published α keep on multiples of 8", round: mobilenetFilters },
  mobilenet_v2: { doc: 'the nearest multiple of 8, never 10% below (make_divisible)', round: (c, a) => makeDivisible(c * a, 8) },
  mobilenet_v3: { doc: 'the nearest multiple of 8, never 10% below (make_divisible)', round: (c, a) => makeDivisible(c * a, 8) },
  efficientnet: { doc: "EfficientNet's round_filters: a multiple of 8, never 10% below", round: roundFilters },
};

/** Rounding for families without their own rule. */
export const DEFAULT_WIDTH_ROUNDING: WidthRounding = { doc: 'the nearest integer, at least 1', round: (c, a) => Math.max(1, Math.round(c * a)) };

/** The rounding rule of a spec's family. */
export const widthRounding = (spec: GraphSpec): WidthRounding =>
  WIDTH_ROUNDING[String(spec.meta?.family ?? '')] ?? DEFAULT_WIDTH_ROUNDING;

/** Ops whose attrs set the channels of their output. */
const WIDTH_ATTR: Record<string, 'filters' | 'units'> = { Conv2D: 'filters', SeparableConv2D: 'filters', Dense: 'units' };

/**
 * The layers that set the channels of a graph output (the classifier, or a headless model's last
 * conv): found walking back from each output through layers whose channels follow their input.
 */
export function headLayers(graph: Graph): Set<string> {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const heads = new Set<string>();
  const seen = new Set<string>();
  const stack = [...graph.outputs];
  while (stack.length) {
    const node = byName.get(stack.pop()!);
    if (!node || seen.has(node.name)) continue;
    seen.add(node.name);
    if (WIDTH_ATTR[node.op]) heads.add(node.name);
    else stack.push(...node.inputs);
  }
  return heads;
}

/**
 * The layers whose cost changes with a layer's width without being scaled themselves: those its
 * channels flow through (BatchNorm, activations, depthwise convs, pooling) up to and including the
 * next layer that sets its own width. Each is given to the first scaled layer that reaches it.
 */
function followers(users: Map<string, string[]>, graph: Graph, heads: Set<string>, name: string, claimed: Set<string>): string[] {
  const op = new Map(graph.nodes.map((n) => [n.name, n.op]));
  const out: string[] = [];
  const stack = [name];
  while (stack.length) {
    for (const user of users.get(stack.pop()!) ?? []) {
      const sets = WIDTH_ATTR[op.get(user)!] !== undefined;
      if (claimed.has(user) || (sets && !heads.has(user))) continue;
      claimed.add(user);
      out.push(user);
      if (!sets) stack.push(user);
    }
  }
  return out;
}

const WIDTH_ARG = { kind: 'number', min: 0, max: 4, openMin: true, example: 'width=0.5' } as const;

export const width: ModelMove<number> = {
  name: MoveName.width,
  scope: 'model',
  doc: 'every layer’s channels × α, rounded as the family rounds; the classifier keeps its width',
  claim: 'MobileNet at α = 0.5 needs 149 M MACs instead of 569 M: cost falls with α²',
  arg: WIDTH_ARG,
  parse: numberArg(MoveName.width, WIDTH_ARG),
  apply(spec, alpha) {
    const graph = resolveGraph(spec);
    const rounding = widthRounding(spec);
    const heads = headLayers(graph);
    const edit = new SpecEdit(spec);
    const changes: Change[] = [];
    const claimed = new Set<string>();
    const users = new Map<string, string[]>();
    for (const n of graph.nodes) for (const i of n.inputs) users.set(i, [...(users.get(i) ?? []), n.name]);
    for (const n of graph.nodes) {
      const key = WIDTH_ATTR[n.op];
      if (!key || heads.has(n.name)) continue;
      const old = n.attrs[key] as number;
      const scaled = rounding.round(old, alpha);
      if (scaled === old) continue;
      const raw = edit.node(n.name);
      raw.attrs = { ...(raw.attrs ?? {}), [key]: scaled };
      const part = [n.name, ...followers(users, graph, heads, n.name, claimed)];
      changes.push({ label: n.name, detail: `${old} → ${scaled} ${key}`, from: part, to: part });
    }
    if (changes.length === 0) throw new RefusedError(MoveName.width, messages.nothingChanged(MoveName.width, spec.name, messages.sameWidth(alpha, rounding.doc)));
    refit(MoveName.width, edit.spec);
    return { spec: edit.spec, changes, notes: [] };
  },
};

/** A new input size: `H,W`, one size `S` for both, or a multiplier ρ written with a point (`0.714`). */
export type ResolutionArg = { size: [number, number] } | { rho: number };

const RESOLUTION_TEXT = 'H,W (e.g. 160,160), one size S, or a multiplier ρ with a decimal point (e.g. 0.714)';

/** Reads the argument of `resolution=`. */
export function parseResolution(text: string | undefined): ResolutionArg {
  if (text === undefined) throw new RefusedError(MoveName.resolution, messages.argMissing(MoveName.resolution, 'resolution=160,160'));
  const size = /^\s*(\d+)\s*(?:[,x×]\s*(\d+)\s*)?$/.exec(text);
  if (size && Number(size[1]) > 0 && Number(size[2] ?? size[1]) > 0) return { size: [Number(size[1]), Number(size[2] ?? size[1])] };
  if (/^\s*\d*\.\d+\s*$/.test(text) && Number(text) > 0) return { rho: Number(text) };
  throw new RefusedError(MoveName.resolution, messages.argText(MoveName.resolution, RESOLUTION_TEXT, text));
}

export const resolution: ModelMove<ResolutionArg> = {
  name: MoveName.resolution,
  scope: 'model',
  doc: 'the input resized to H×W (or × ρ); every feature map follows',
  claim: 'MobileNet at 160×160 needs 291 M MACs instead of 569 M: cost falls with ρ²',
  arg: { kind: 'text', example: 'resolution=160,160' },
  parse: parseResolution,
  changesResolution: true,
  apply(spec, arg) {
    if (spec.inputs.length !== 1 || spec.inputs[0]!.shape.length !== 3) {
      throw new RefusedError(MoveName.resolution, messages.oneInput(MoveName.resolution, spec.name, spec.inputs.length));
    }
    const input = spec.inputs[0]!;
    const [h, w, c] = input.shape as [number, number, number];
    const [nh, nw] = 'size' in arg ? arg.size : [Math.max(1, Math.round(h * arg.rho)), Math.max(1, Math.round(w * arg.rho))];
    if (nh === h && nw === w) throw new RefusedError(MoveName.resolution, messages.nothingChanged(MoveName.resolution, spec.name, messages.sameResolution(h, w)));
    const edit = new SpecEdit(spec);
    edit.spec.inputs[0]!.shape = [nh, nw, c];
    refit(MoveName.resolution, edit.spec);
    return { spec: edit.spec, changes: [{ label: input.name, detail: `${h}×${w} → ${nh}×${nw}`, from: [input.name], to: [input.name] }], notes: [] };
  },
};

/** Runs a step of a composite move; a refusal of the step is the composite's, naming both. */
function within<T>(move: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof RefusedError) throw new RefusedError(move, `${move}: ${e.message}`, e.node);
    throw e;
  }
}

/** EfficientNet's compound coefficients: depth α, width β and resolution γ, with α·β²·γ² ≈ 2. */
export const COMPOUND = { depth: 1.2, width: 1.1, resolution: 1.15 } as const;

const COMPOUND_ARG = { kind: 'number', min: -4, max: 8, openMin: false, example: 'compound=1' } as const;

export const compound: ModelMove<number> = {
  name: MoveName.compound,
  scope: 'model',
  doc: `depth × ${COMPOUND.depth}^φ, width × ${COMPOUND.width}^φ, resolution × ${COMPOUND.resolution}^φ together (EfficientNet)`,
  claim: 'each step of φ about doubles the FLOPs, since α·β²·γ² ≈ 2',
  arg: COMPOUND_ARG,
  parse: numberArg(MoveName.compound, COMPOUND_ARG),
  changesResolution: true,
  apply(spec, phi) {
    const log = new ChangeLog();
    const notes: string[] = [];
    const renamed: Record<string, string> = {};
    let current = spec;
    const steps = [
      () => depth.apply(current, COMPOUND.depth ** phi),
      () => width.apply(current, COMPOUND.width ** phi),
      () => resolution.apply(current, { rho: COMPOUND.resolution ** phi }),
    ];
    for (const step of steps) {
      const r = within(MoveName.compound, step);
      log.record(r, MoveName.compound);
      notes.push(...r.notes);
      Object.assign(renamed, r.renamed ?? {});
      current = r.spec;
    }
    return { spec: current, changes: log.changes(), notes, renamed };
  },
};
