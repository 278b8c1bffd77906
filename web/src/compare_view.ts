/**
 * The compare view: chosen models side by side in the lecture's comparison table (the report
 * module's, as `convlab compare` prints it), the accuracy-against-compute bubble chart and
 * memory along depth, as compare_model.ts works them out.
 */
import { accuracyChart, memoryChart } from '../../src/report/charts.js';
import { compareTable, type CompareEntry } from '../../src/report/compare.js';
import { htmlTable } from '../../src/report/markup.js';
import type { App } from './app.js';
import { AnalysisCache, compareStale, comparison, onScreenEntry, onScreenIsChosen, settingsKey, SORT_CHOICES, withModel, type CompareSort } from './compare_model.js';
import { byId, h, keepFocus, select } from './dom.js';
import { byFamily } from './source.js';
import { chartTools, drawChart } from './vega.js';

/** Mounts the compare view into #view-compare. */
export function mountCompareView(app: App): void {
  const root = byId('view-compare');
  const cache = new AnalysisCache();
  const picker = h('div', { class: 'picker' });
  // Scrolls sideways on a phone: a tab stop, so the keyboard can scroll it too.
  const tableBox = h('div', { class: 'table-wrap compare', id: 'compare-table', tabindex: 0, role: 'region', 'aria-label': 'Comparison table' });
  const note = h('p', { class: 'muted', id: 'compare-note' });
  const bubble = h('div', { class: 'chart', id: 'chart-bubble' });
  const memory = h('div', { class: 'chart', id: 'chart-compare-memory' });
  const controls = h('div', { class: 'toolbar' });
  let sortKey: CompareSort = 'chosen';
  let withCurrent = false;
  let generation = 0;
  let renderedWith = '';

  root.append(
    h('section', { class: 'card' }, h('h2', {}, 'Models'), picker),
    h('section', { class: 'card' }, h('h2', {}, 'Comparison'), controls, tableBox, note),
    h('section', { class: 'card' }, h('h2', {}, 'Accuracy against compute'), bubble, chartTools(bubble, 'accuracy against compute', () => 'compare-accuracy')),
    h('section', { class: 'card' }, h('h2', {}, 'Memory along depth'), memory, chartTools(memory, 'memory along depth of the compared models', () => 'compare-memory')),
  );

  const renderPicker = () => {
    const chosen = new Set(app.state.compare);
    const chips = h('div', { class: 'chips' },
      ...app.state.compare.map((id) => h('span', { class: 'chip' }, id,
        h('button', { type: 'button', 'aria-label': `Remove ${id}`, 'data-focus': `remove-${id}`, onclick: () => app.setCompare(withModel(app.state.compare, id, false)) }, '×'))),
      app.ready ? h('label', { class: 'field check' },
        h('input', { type: 'checkbox', id: 'compare-current', checked: withCurrent, onchange: (e: Event) => ((withCurrent = (e.target as HTMLInputElement).checked), void renderAll()) }),
        h('span', {}, `include the model on screen (${app.ready.analysis.model})`)) : null,
    );
    const list = h('details', { class: 'model-list' }, h('summary', { id: 'compare-choose' }, 'Choose models…'),
      ...[...byFamily(app.models)].map(([family, ms]) => h('fieldset', {}, h('legend', {}, family),
        ...ms.map((m) => h('label', { class: 'field check' },
          h('input', { type: 'checkbox', value: m.id, 'data-focus': `choose-${m.id}`, checked: chosen.has(m.id), onchange: (e: Event) => app.setCompare(withModel(app.state.compare, m.id, (e.target as HTMLInputElement).checked)) }),
          h('span', {}, m.id))))));
    const open = picker.querySelector('details')?.open ?? false;
    list.open = open;
    const hadFocus = picker.contains(document.activeElement);
    keepFocus(picker, () => picker.replaceChildren(chips, list));
    // A removed model's button is gone: the list of models is the next place to act.
    if (hadFocus && !picker.contains(document.activeElement)) byId('compare-choose').focus();
  };
  // Escape folds the open list of models, the focus returning to its summary.
  picker.addEventListener('keydown', (e) => {
    const list = picker.querySelector('details');
    if (e.key !== 'Escape' || !list?.open) return;
    e.preventDefault();
    list.open = false;
    byId('compare-choose').focus();
  });

  const renderAll = async () => {
    const mine = ++generation;
    renderedWith = settingsKey(app.settings());
    renderPicker();
    keepFocus(controls, () => controls.replaceChildren(select('Sort', SORT_CHOICES, sortKey, (v) => ((sortKey = v as CompareSort), void renderAll()), 'compare-sort')));
    const entries: CompareEntry[] = [];
    const failures: string[] = [];
    for (const id of app.state.compare) {
      note.textContent = `analysing ${id}…`;
      // Yield between models so a long list never freezes the page.
      await new Promise((r) => setTimeout(r, 0));
      if (mine !== generation) return;
      const e = cache.entry(id, app.settings(), app.models.find((m) => m.id === id));
      if (typeof e === 'string') failures.push(e);
      else entries.push(e);
    }
    if (withCurrent && app.ready && !onScreenIsChosen(app.source, app.state.moves, app.state.compare)) entries.push(onScreenEntry(app.ready.analysis, app.source, app.models));
    const c = comparison(entries, failures, sortKey);
    tableBox.innerHTML = entries.length ? htmlTable(compareTable(c.shown)).join('') : '<p class="muted">Choose two or more models above.</p>';
    note.textContent = c.note;
    if (c.plotAccuracy) await drawChart(bubble, accuracyChart(c.points, { metric: c.metric }));
    else bubble.replaceChildren(h('p', { class: 'muted' }, 'None of these models has a published accuracy to plot.'));
    if (mine !== generation) return;
    if (c.memory) await drawChart(memory, memoryChart(c.memory, { families: c.families }));
    else memory.replaceChildren(h('p', { class: 'muted' }, 'Choose models above to draw their memory along depth.'));
    root.dataset.drawn = 'true';
  };

  let dirty = true;
  app.listen((changes) => {
    if (compareStale(changes, { withCurrent, settingsChanged: settingsKey(app.settings()) !== renderedWith })) dirty = true;
    if (app.state.view === 'compare' && dirty) {
      dirty = false;
      void renderAll();
    }
  });
}
