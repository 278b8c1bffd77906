/**
 * The compare view as data: which models are chosen, their analyses (cached per convention),
 * the order they are shown in, the points the accuracy chart plots and the note under the
 * table. Table, points and sorting are the report's, the same `convlab compare` uses.
 */
import { analyze, type Analysis, type AnalyzeOptions } from '../../src/analysis/index.js';
import { compareEntry, sortEntries, SORT_KEYS, type CompareEntry, type SortKey } from '../../src/report/compare.js';
import { bestMetric, modelPoint, unplaced, type AccuracyMetric } from '../../src/report/points.js';
import type { ModelPoint } from '../../src/report/charts.js';
import { getModel, type ModelMeta } from '../../src/zoo/index.js';
import { toProblem, type Source } from './source.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** The sort menu: as chosen, or any of the report's sort keys. */
export type CompareSort = SortKey | 'chosen';
const SORT_LABELS: Record<CompareSort, string> = { chosen: 'as chosen', params: 'params', macs: 'MACs', flops: 'FLOPs', top1: 'top-1', top5: 'top-5' };
export const SORT_CHOICES: ReadonlyArray<readonly [CompareSort, string]> = (['chosen', ...SORT_KEYS] as const).map((k) => [k, SORT_LABELS[k]] as const);

/** The chosen ids with `id` added at the end or taken out. */
export function withModel(ids: readonly string[], id: string, on: boolean): string[] {
  const rest = ids.filter((x) => x !== id);
  return on ? [...rest, id] : rest;
}

/** The key analyses are cached under: the settings that change their numbers. */
export const settingsKey = (s: AnalyzeOptions): string => `${s.convention}|${s.params}|${s.dtype}`;

/** Analyses of zoo models, each built and analysed once per settings. */
export class AnalysisCache {
  private readonly analyses = new Map<string, Analysis>();

  /** The entry of a zoo model, or the message of why it could not be analysed. */
  entry(id: string, settings: AnalyzeOptions, meta?: ModelMeta): CompareEntry | string {
    const key = `${id}|${settingsKey(settings)}`;
    try {
      let a = this.analyses.get(key);
      if (!a) {
        a = analyze(resolveGraph(getModel(id)), settings);
        this.analyses.set(key, a);
      }
      return compareEntry(id, a, meta);
    } catch (e) {
      return `${id}: ${toProblem(e).message}`;
    }
  }
}

/** The model on screen as an extra compare entry, with its registry metadata when it is a zoo model. */
export function onScreenEntry(a: Analysis, source: Source, models: readonly ModelMeta[]): CompareEntry {
  const meta = source.kind === 'zoo' ? models.find((m) => m.id === source.choice.id) : undefined;
  return compareEntry(`${a.model} (on screen)`, a, meta);
}

/**
 * Whether the model on screen is already compared: a zoo model built with its defaults and no
 * what-if moves is exactly the entry of its id, so including it again would list it twice.
 */
export function onScreenIsChosen(source: Source, moves: readonly string[], chosen: readonly string[]): boolean {
  if (source.kind !== 'zoo' || moves.length > 0 || !chosen.includes(source.choice.id)) return false;
  const c = source.choice;
  return c.input === undefined && c.classes === undefined && c.includeTop === undefined && Object.keys(c.extra ?? {}).length === 0;
}

/** What the compare view shows for a set of entries. */
export interface Comparison {
  /** Entries in the order shown. */
  shown: CompareEntry[];
  points: ModelPoint[];
  /** Whether any point has a published accuracy to plot, and the metric that places the most. */
  plotAccuracy: boolean;
  metric: AccuracyMetric;
  /** The analyses the memory chart draws, every model compared (null when there are none), and their families. */
  memory: Analysis[] | null;
  families: string[];
  note: string;
}

/** The comparison of analysed entries; `failures` are the messages of models that did not analyse. */
export function comparison(entries: CompareEntry[], failures: readonly string[], sort: CompareSort): Comparison {
  const shown = sort === 'chosen' ? entries : sortEntries(entries, sort);
  const points = shown.map(modelPoint);
  const metric = bestMetric(points);
  const missing = unplaced(points, metric);
  return {
    shown,
    points,
    plotAccuracy: missing.length < points.length,
    metric,
    memory: shown.length ? shown.map((e) => e.analysis) : null,
    families: points.map((p) => p.family),
    note: [
      'Params and MACs are recomputed here; errors are the published ImageNet figures.',
      missing.length ? `Not on the accuracy chart (no published ${metric === 'top1' ? 'top-1' : 'top-5'}): ${missing.join(', ')}.` : '',
      ...failures,
    ].filter(Boolean).join(' '),
  };
}

/**
 * Whether the comparison must be drawn again after `changes`: the chosen models changed, or new
 * numbers reach it (other conventions, or the model on screen while the table includes it).
 */
export function compareStale(changes: ReadonlySet<string>, o: { withCurrent: boolean; settingsChanged: boolean }): boolean {
  return changes.has('compare') || (changes.has('analysis') && (o.withCurrent || o.settingsChanged));
}
