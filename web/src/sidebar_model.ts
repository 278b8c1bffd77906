/**
 * What the sidebar offers and shows, as data: the model menu by family, a zoo model's options
 * (input, ρ, α, φ, classes, top), the conventions, and the totals of the analysis as the page
 * writes them. The sidebar only turns these into controls.
 */
import type { Analysis } from '../../src/analysis/index.js';
import type { Shape } from '../../src/graph/types.js';
import { bytes, human, int, shape } from '../../src/report/units.js';
import type { ModelMeta } from '../../src/zoo/index.js';
import { byFamily, phiSiblings, slidersFor, type Problem, type Source, type ZooChoice } from './source.js';
import { flopsLabel } from './table_model.js';

/** The model menu: a line for pasted or uploaded text (its name), then every zoo model under its family. */
export interface ModelMenu {
  text: string | null;
  groups: Array<{ family: string; options: Array<{ value: string; label: string; selected: boolean }> }>;
}

/** The model menu for the models and the current source. */
export function modelMenu(models: readonly ModelMeta[], source: Source): ModelMenu {
  const chosen = source.kind === 'zoo' ? source.choice.id : null;
  return {
    text: source.kind === 'text' ? source.name : null,
    groups: [...byFamily(models)].map(([family, ms]) => ({
      family,
      options: ms.map((m) => ({ value: m.id, label: `${m.id} (${m.year})`, selected: m.id === chosen })),
    })),
  };
}

/** A slider's settings; `show` writes its value beside it. */
export interface SliderModel {
  key: string;
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
}

/** A slider value as it reads beside the slider: whole numbers plain, others to two decimals. */
export const sliderText = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** Slider range of the resolution multiplier ρ. */
export const RHO = { min: 0.25, max: 2, step: 0.0625 } as const;

/** The input height and width at resolution multiplier ρ of the default input, never below one pixel. */
export function inputAtRho(rho: number, defaults: Shape): [number, number] {
  return [Math.max(1, Math.round(rho * defaults[0]!)), Math.max(1, Math.round(rho * defaults[1]!))];
}

/** A zoo model's options as the sidebar shows them. */
export interface OptionsModel {
  input: Shape;
  /** Height as a share of the default height. */
  rho: number;
  /** ρ as it reads beside its slider: `0.5 → 112`. */
  rhoText: (rho: number) => string;
  /** Height and width at ρ. */
  inputAt: (rho: number) => [number, number];
  /** Family options the builder reads (α, depth multiplier), at their current values. */
  sliders: SliderModel[];
  /** The φ slider over a family's members, when the model has siblings. */
  phi: { min: number; max: number; value: number; idAt: (phi: number) => string | undefined; text: (phi: number) => string } | null;
  classes: number;
  includeTop: boolean;
}

/** The options panel of a zoo choice, from the model's metadata and the registered ids. */
export function optionsModel(c: ZooChoice, meta: ModelMeta, ids: readonly string[]): OptionsModel {
  const input = c.input ?? meta.input;
  const phi = phiSiblings(c.id, ids);
  const phis = phi ? [...phi.byPhi.keys()].sort((a, b) => a - b) : [];
  return {
    input,
    rho: input[0]! / meta.input[0]!,
    rhoText: (v) => `${sliderText(v)} → ${Math.round(v * meta.input[0]!)}`,
    inputAt: (v) => inputAtRho(v, meta.input),
    sliders: slidersFor(c.id).map((s) => ({ key: s.key, label: s.label, min: s.min, max: s.max, step: s.step, value: c.extra?.[s.key] ?? s.fallback })),
    phi: phi && {
      min: phis[0]!,
      max: phis[phis.length - 1]!,
      value: phi.phi,
      idAt: (v) => phi.byPhi.get(v),
      text: (v) => `${v} → ${phi.byPhi.get(v) ?? '—'}`,
    },
    classes: c.classes ?? meta.classes,
    includeTop: c.includeTop !== false,
  };
}

/** The convention menus: FLOPs, params and dtype, each value with its label. */
export const CONVENTION_MENUS = {
  convention: [['lecture', 'lecture (seed)'], ['macs', 'MACs only'], ['flops', 'hardware FLOPs']],
  params: [['keras', 'Keras (BN 4·C)'], ['torch', 'torch (BN 2·C)']],
  dtype: [['fp32', 'fp32 (4 B)'], ['fp16', 'fp16 (2 B)']],
} as const;

/** One line of the totals: the key tests and styles find it by, its label, the exact figure and a short form. */
export interface TotalItem {
  key: string;
  label: string;
  exact: string;
  note: string;
}

/** The totals of an analysis as the sidebar lists them. */
export function totalsList(a: Analysis): TotalItem[] {
  const t = a.totals;
  const item = (key: string, label: string, exact: string, note = ''): TotalItem => ({ key, label, exact, note });
  return [
    item('params', 'Params', int(t.params), human(t.params)),
    item('trainableParams', 'trainable', int(t.trainableParams)),
    item('nonTrainableParams', 'non-trainable', int(t.nonTrainableParams)),
    item('macs', 'MACs', int(t.macs), human(t.macs)),
    item('flops', flopsLabel(a.convention), int(t.flops), human(t.flops)),
    item('paramBytes', `Weights (${a.dtype})`, bytes(t.paramBytes)),
    item('activationBytes', 'Activations / sample', bytes(t.activationBytes)),
    item('inferencePeakBytes', 'Inference peak / sample', bytes(t.inferencePeakBytes)),
    item('layers', 'Layers', int(a.layers.length)),
  ];
}

/** The heading of the totals: the model and its input and output shapes. */
export function totalsHeading(a: Analysis): { model: string; shapes: string } {
  return { model: a.model, shapes: ` ${a.inputs.map((i) => shape(i.shape)).join(' ')} → ${a.outputs.map((o) => shape(o.shape)).join(' ')}` };
}

/** The title of a shown problem: the node it names, when it names one. */
export const problemTitle = (p: Problem): string => (p.node !== undefined ? `Error at node ${p.node}` : 'Error');
