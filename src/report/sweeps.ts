/**
 * Sweeps: one model rebuilt along a knob (input resolution ρ, width multiplier α, any builder
 * option), or a family walked member by member (EfficientNet's φ). A plan names every build, its
 * label on the axis, and the chart's title and axis; each build's analysis gives one point. The
 * command line and the page plan and read their sweeps here.
 */
import type { Analysis } from '../analysis/types.js';
import type { ModelMeta, ModelOptions } from '../zoo/registry.js';
import type { SweepPoint } from './charts.js';

/** One build of a sweep: its label on the axis, the model (zoo id or file) and the builder options. */
export interface SweepStep {
  label: string;
  model: string;
  options: ModelOptions;
}

/** A sweep before anything is built. */
export interface SweepPlan {
  title: string;
  axis: string;
  steps: SweepStep[];
  /** True when every step is a model as published, so its published accuracy belongs on the chart. */
  published: boolean;
}

/** Input sizes the page sweeps, as shares ρ of the model's default size. */
export const RESOLUTION_SHARES: readonly number[] = [0.5, 0.625, 0.75, 0.875, 1, 1.25, 1.5];

/** Width multipliers α the page sweeps. */
export const WIDTH_MULTIPLIERS: readonly number[] = [0.25, 0.5, 0.75, 1, 1.25, 1.5];

/** How a knob reads on the axis; a knob not listed reads as its own name. */
const KNOB_AXES: Record<string, string> = {
  alpha: 'width multiplier α',
  input: 'input resolution (ρ)',
  resolution: 'input resolution (ρ)',
};

/** Symbols in point labels: `α=0.5`. */
const KNOB_SYMBOLS: Record<string, string> = { alpha: 'α' };

const capitalised = (s: string) => s[0]!.toUpperCase() + s.slice(1);

function knobPlan(model: string, knob: string, steps: SweepStep[]): SweepPlan {
  const axis = KNOB_AXES[knob] ?? knob;
  return { title: `${model}: ${axis} sweep`, axis: capitalised(axis), steps, published: false };
}

/** Square input sizes at shares of a default size, rounded to whole pixels. */
export function resolutionSizes(size: number, shares: readonly number[] = RESOLUTION_SHARES): number[] {
  return shares.map((r) => Math.round(r * size));
}

/** One model rebuilt at square input sizes, keeping `channels`. */
export function resolutionSweep(model: string, sizes: readonly number[], channels: number, base: ModelOptions = {}): SweepPlan {
  return knobPlan(model, 'input', sizes.map((s) => ({ label: `${s}×${s}`, model, options: { ...base, input: [s, s, channels] } })));
}

/** One model rebuilt with a builder option at each value; `text` is the value as the axis shows it, `options` what it sets. */
export function optionSweep(model: string, knob: string, values: ReadonlyArray<{ text: string; options: ModelOptions }>, base: ModelOptions = {}): SweepPlan {
  const symbol = KNOB_SYMBOLS[knob] ?? knob;
  return knobPlan(model, knob, values.map((v) => ({ label: `${symbol}=${v.text}`, model, options: { ...base, ...v.options } })));
}

/** The longest prefix ending in `_` that every id shares, or '' (ids stay whole). */
export function commonPrefix(ids: readonly string[]): string {
  let p = ids[0] ?? '';
  for (const id of ids) while (!id.startsWith(p)) p = p.slice(0, -1);
  const cut = p.lastIndexOf('_') + 1;
  return ids.every((id) => id.length > cut) ? p.slice(0, cut) : '';
}

/** Several models, one point each; members of a family (efficientnet_b0 … b7) name their shared prefix once, on the axis. */
export function familySweep(models: readonly string[], base: ModelOptions = {}): SweepPlan {
  const prefix = commonPrefix(models);
  return {
    title: `${models[0]} … ${models[models.length - 1]}: one point per model`,
    axis: prefix ? `Model (${prefix}…)` : 'Model',
    steps: models.map((model) => ({ label: model.slice(prefix.length), model, options: { ...base } })),
    published: true,
  };
}

/** The point one step's analysis gives: its MACs and params and, for published models, the published top-1. */
export function sweepPoint(plan: SweepPlan, step: SweepStep, a: Analysis, meta?: ModelMeta): SweepPoint {
  const top1 = plan.published ? meta?.accuracy?.top1 : undefined;
  return { label: step.label, macs: a.totals.macs, params: a.totals.params, ...(top1 !== undefined ? { top1 } : {}) };
}
