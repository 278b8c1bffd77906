/**
 * The compare view: chosen models side by side in the lecture's comparison table (the report
 * module's, as `convlab compare` prints it), the accuracy-against-compute bubble chart and
 * memory along depth.
 */
import { analyze, type Analysis } from '../../src/analysis/index.js';
import { accuracyChart, memoryChart, type ModelPoint } from '../../src/report/charts.js';
import { compareTable, sortEntries, SORT_KEYS, type CompareEntry, type SortKey } from '../../src/report/compare.js';
import { htmlTable } from '../../src/report/markup.js';
import { getModel } from '../../src/zoo/index.js';
import type { App } from './app.js';
import { byId, h, select } from './dom.js';
import { toProblem } from './source.js';
import { drawChart } from './vega.js';

/** More models than this and the memory chart's lines blur into each other. */
const MEMORY_CHART_MAX = 6;

const SORT_LABELS: Record<SortKey | 'chosen', string> = { chosen: 'as chosen', params: 'params', macs: 'MACs', flops: 'FLOPs', top1: 'top-1', top5: 'top-5' };

/** A compare entry's point on the bubble chart. */
function pointOf(e: CompareEntry): ModelPoint {
  const acc = e.meta?.accuracy;
  return {
    model: e.label, family: e.meta?.family ?? 'spec', macs: e.analysis.totals.macs, params: e.analysis.totals.params,
    ...(acc?.top1 !== undefined ? { top1: acc.top1 } : {}),
    ...(acc?.top5 !== undefined ? { top5: acc.top5 } : {}),
  };
}

/** Mounts the compare view into #view-compare. */
export function mountCompareView(app: App): void {
  const root = byId('view-compare');
  const cache = new Map<string, Analysis>();
  const picker = h('div', { class: 'picker' });
  const tableBox = h('div', { class: 'table-wrap compare', id: 'compare-table' });
  const note = h('p', { class: 'muted', id: 'compare-note' });
  const bubble = h('div', { class: 'chart', id: 'chart-bubble' });
  const memory = h('div', { class: 'chart', id: 'chart-compare-memory' });
  const controls = h('div', { class: 'toolbar' });
  let sortKey: SortKey | 'chosen' = 'chosen';
  let withCurrent = false;
  let generation = 0;
  const settingsKey = () => `${app.state.convention}|${app.state.params}|${app.state.dtype}`;
  let renderedWith = '';

  root.append(
    h('section', { class: 'card' }, h('h2', {}, 'Models'), picker),
    h('section', { class: 'card' }, h('h2', {}, 'Comparison'), controls, tableBox, note),
    h('section', { class: 'card' }, h('h2', {}, 'Accuracy against compute'), bubble),
    h('section', { class: 'card' }, h('h2', {}, 'Memory along depth'), memory),
  );

  const renderPicker = () => {
    const chosen = new Set(app.state.compare);
    const families = new Map<string, typeof app.models>();
    for (const m of app.models) families.set(m.family, [...(families.get(m.family) ?? []), m]);
    const chips = h('div', { class: 'chips' },
      ...app.state.compare.map((id) => h('span', { class: 'chip' }, id,
        h('button', { type: 'button', 'aria-label': `Remove ${id}`, onclick: () => app.setCompare(app.state.compare.filter((x) => x !== id)) }, '×'))),
      app.ready ? h('label', { class: 'field check' },
        h('input', { type: 'checkbox', id: 'compare-current', checked: withCurrent, onchange: (e: Event) => ((withCurrent = (e.target as HTMLInputElement).checked), void renderAll()) }),
        h('span', {}, `include the model on screen (${app.ready.analysis.model})`)) : null,
    );
    const list = h('details', { class: 'model-list' }, h('summary', {}, 'Choose models…'),
      ...[...families].map(([family, ms]) => h('fieldset', {}, h('legend', {}, family),
        ...ms.map((m) => h('label', { class: 'field check' },
          h('input', { type: 'checkbox', value: m.id, checked: chosen.has(m.id), onchange: (e: Event) => {
            const on = (e.target as HTMLInputElement).checked;
            app.setCompare(on ? [...app.state.compare, m.id] : app.state.compare.filter((x) => x !== m.id));
          } }),
          h('span', {}, m.id))))));
    const open = picker.querySelector('details')?.open ?? false;
    list.open = open;
    picker.replaceChildren(chips, list);
  };

  const entryFor = (id: string): CompareEntry | string => {
    const key = `${id}|${settingsKey()}`;
    try {
      let a = cache.get(key);
      if (!a) {
        a = analyze(getModel(id), app.settings());
        cache.set(key, a);
      }
      const meta = app.models.find((m) => m.id === id);
      return { label: id, analysis: a, ...(meta ? { meta } : {}) };
    } catch (e) {
      return `${id}: ${toProblem(e).message}`;
    }
  };

  const renderAll = async () => {
    const mine = ++generation;
    renderedWith = settingsKey();
    renderPicker();
    controls.replaceChildren(select('Sort', (['chosen', ...SORT_KEYS] as const).map((k) => [k, SORT_LABELS[k]] as const), sortKey, (v) => ((sortKey = v as SortKey | 'chosen'), void renderAll()), 'compare-sort'));
    const entries: CompareEntry[] = [];
    const failures: string[] = [];
    for (const id of app.state.compare) {
      note.textContent = `analysing ${id}…`;
      // Yield between models so a long list never freezes the page.
      await new Promise((r) => setTimeout(r, 0));
      if (mine !== generation) return;
      const e = entryFor(id);
      if (typeof e === 'string') failures.push(e);
      else entries.push(e);
    }
    if (withCurrent && app.ready) {
      const meta = app.source.kind === 'zoo' ? app.models.find((m) => m.id === (app.source as { choice: { id: string } }).choice.id) : undefined;
      entries.push({ label: `${app.ready.analysis.model} (on screen)`, analysis: app.ready.analysis, ...(meta ? { meta } : {}) });
    }
    const shown = sortKey === 'chosen' ? entries : sortEntries(entries, sortKey);
    tableBox.innerHTML = entries.length ? htmlTable(compareTable(shown)).join('') : '<p class="muted">Choose two or more models above.</p>';
    const points = shown.map(pointOf);
    const missing = points.filter((p) => p.top1 === undefined).map((p) => p.model);
    note.textContent = [
      'Params and MACs are recomputed here; errors are the published ImageNet figures.',
      missing.length ? `Not on the accuracy chart (no published top-1): ${missing.join(', ')}.` : '',
      ...failures,
    ].filter(Boolean).join(' ');
    if (points.some((p) => p.top1 !== undefined)) await drawChart(bubble, accuracyChart(points));
    else bubble.replaceChildren(h('p', { class: 'muted' }, 'None of these models has a published accuracy to plot.'));
    if (mine !== generation) return;
    if (shown.length && shown.length <= MEMORY_CHART_MAX) await drawChart(memory, memoryChart(shown.map((e) => e.analysis)));
    else memory.replaceChildren(h('p', { class: 'muted' }, `Memory along depth is drawn for one to ${MEMORY_CHART_MAX} models.`));
    root.dataset.drawn = 'true';
  };

  let dirty = true;
  app.listen((changes) => {
    // Conventions changed, or the on-screen model that the table includes did.
    if (changes.has('analysis') && (withCurrent || settingsKey() !== renderedWith)) dirty = true;
    if (changes.has('compare')) dirty = true;
    if (app.state.view === 'compare' && dirty) {
      dirty = false;
      void renderAll();
    }
  });
}
