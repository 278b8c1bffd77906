/**
 * The charts view: the library's per-layer and memory charts, training memory against batch
 * size (a slider), and a sweep of the model's scaling knob (ρ, α or φ). Every chart spec comes
 * from src/report/charts.ts, the same functions `convlab chart` draws.
 */
import type { Analysis } from '../../src/analysis/index.js';
import type { Optimizer } from '../../src/core/sets.js';
import { layersChart, memoryChart, sweepChart } from '../../src/report/charts.js';
import { groupsByDefault } from '../../src/report/group.js';
import type { App } from './app.js';
import { BATCHES, batchIndex, OPTIMIZER_CHOICES, sweepKinds, sweepPlan, sweepPoints, timingText, trainingView, type SweepKind } from './charts_model.js';
import { byId, h, keepFocus, select } from './dom.js';
import { toProblem } from './source.js';
import { timeInBrowser } from './timing.js';
import { weightsOfUpload } from './files.js';
import { chartTools, drawChart } from './vega.js';

/** Mounts the charts view into #view-charts. */
export function mountChartsView(app: App): void {
  const root = byId('view-charts');
  const layersBox = h('div', { class: 'chart', id: 'chart-layers' });
  const memoryBox = h('div', { class: 'chart', id: 'chart-memory' });
  const sweepBox = h('div', { class: 'chart', id: 'chart-sweep' });
  const trainingBox = h('div', { class: 'training', id: 'training' });
  const sweepNote = h('p', { class: 'muted' });
  let group: boolean | null = null;
  let sweep: SweepKind = 'rho';
  let budget = '8GiB';
  const model = () => app.ready?.analysis.model ?? 'model';

  const trainingControls = h('div', { class: 'toolbar' });
  const layerControls = h('div', { class: 'toolbar' });
  const sweepControls = h('div', { class: 'toolbar' });
  const timingBox = h('div', { id: 'timing' });
  root.append(
    h('section', { class: 'card' }, h('h2', {}, 'Parameters and compute'), layerControls, layersBox, chartTools(layersBox, 'parameters and compute', () => `${model()}-layers`)),
    h('section', { class: 'card' }, h('h2', {}, 'Measured in this browser'), timingBox),
    h('section', { class: 'card' }, h('h2', {}, 'Training memory'), trainingControls, trainingBox),
    h('section', { class: 'card' }, h('h2', {}, 'Memory along depth'), memoryBox, chartTools(memoryBox, 'memory along depth', () => `${model()}-memory`)),
    h('section', { class: 'card' }, h('h2', {}, 'Scaling sweep'), sweepControls, sweepNote, sweepBox, chartTools(sweepBox, 'the scaling sweep', () => `${model()}-sweep-${sweep}`)),
  );

  const renderTraining = (a: Analysis) => {
    const t = trainingView(a, { batch: app.state.batch, optimizer: app.state.optimizer }, budget);
    trainingBox.replaceChildren(
      h('p', { class: 'big', 'data-total': 'training' }, t.total, h('span', { class: 'muted' }, t.caption)),
      h('div', { class: 'stack', role: 'img', 'aria-label': 'Training memory by source' },
        ...t.parts.filter((p) => p.bytes > 0).map((p) => h('span', { class: `part ${p.cls}`, style: `flex-grow:${p.bytes}`, title: `${p.label}: ${p.text}` }))),
      h('ul', { class: 'parts' }, ...t.parts.map((p) => h('li', {}, h('span', { class: `swatch ${p.cls}` }), `${p.label} `, h('strong', {}, p.text)))),
      h('p', { class: 'muted' }, t.footnote),
    );
  };

  const renderControls = () => {
    const s = app.state;
    const idx = batchIndex(s.batch);
    const batchOut = h('output', {}, String(s.batch));
    const batch = h('input', { type: 'range', id: 'batch', min: 0, max: BATCHES.length - 1, step: 1, value: idx, 'aria-label': 'Batch size' });
    batch.addEventListener('input', () => {
      const b = BATCHES[Number(batch.value)]!;
      batchOut.textContent = String(b);
      app.setTraining({ batch: b });
    });
    const budgetBox = h('input', { type: 'text', value: budget, id: 'budget', size: 7, 'aria-label': 'Memory budget' });
    budgetBox.addEventListener('change', () => {
      budget = budgetBox.value.trim();
      if (app.ready) renderTraining(app.ready.analysis);
    });
    keepFocus(trainingControls, () => trainingControls.replaceChildren(
      h('label', { class: 'field slider' }, h('span', {}, 'Batch'), batch, batchOut),
      select('Optimizer', OPTIMIZER_CHOICES, s.optimizer, (v) => app.setTraining({ optimizer: v as Optimizer }), 'optimizer'),
      h('label', { class: 'field' }, h('span', {}, 'Budget'), budgetBox),
    ));
    const kinds = sweepKinds(app.source, app.models.map((m) => m.id));
    if (!kinds.some(([k]) => k === sweep)) sweep = 'rho';
    keepFocus(sweepControls, () => sweepControls.replaceChildren(select('Sweep', kinds, sweep, (v) => ((sweep = v as SweepKind), void renderSweep()), 'sweep-kind')));
  };

  const renderLayers = async (a: Analysis) => {
    const grouped = group ?? groupsByDefault(a);
    keepFocus(layerControls, () => layerControls.replaceChildren(
      h('label', { class: 'field check' },
        h('input', { type: 'checkbox', id: 'chart-group', checked: grouped, onchange: (e: Event) => ((group = (e.target as HTMLInputElement).checked), void renderLayers(a)) }),
        h('span', {}, 'Roll layers up to blocks')),
    ));
    await drawChart(layersBox, layersChart(a, { group: grouped }));
  };

  const renderSweep = async () => {
    if (app.source.kind !== 'zoo') {
      sweepNote.textContent = 'Sweeps rebuild a zoo model with other options; a pasted spec has none.';
      sweepBox.replaceChildren();
      return;
    }
    const t0 = performance.now();
    const plan = sweepPlan(sweep, app.source.choice, app.models);
    const points = plan ? sweepPoints(plan, app.settings(), app.models) : [];
    if (!plan || points.length < 2) {
      sweepNote.textContent = 'This model cannot be rebuilt along this knob.';
      sweepBox.replaceChildren();
      return;
    }
    sweepNote.textContent = `${points.length} rebuilds and analyses in ${Math.round(performance.now() - t0)} ms.`;
    await drawChart(sweepBox, sweepChart(points, { title: plan.title, axis: plan.axis }));
  };

  let timing: { model: unknown; text: HTMLElement } | null = null;
  const renderTiming = () => {
    const r = app.ready;
    if (!r) return;
    if (timing && timing.model === r.graph) {
      timingBox.replaceChildren(timing.text);
      return;
    }
    const status = h('span', { class: 'status', 'aria-live': 'polite' });
    const start = h('button', { type: 'button', id: 'time-model' }, 'Time it with onnxruntime-web');
    start.addEventListener('click', () => {
      const graph = r.graph;
      const weights = weightsOfUpload(app.source);
      const weightsFrom = weights && app.source.kind === 'text' ? app.source.name : null;
      start.disabled = true;
      timeInBrowser(graph, r.analysis.totals.macs, { warmup: 2, runs: 10, weights, onProgress: (t) => (status.textContent = t) }).then(
        ({ result, threads, modelBytes, ownWeights }) => {
          const t = timingText(result, threads, modelBytes, r.analysis.totals.macs, ownWeights ? weightsFrom : null);
          const text = h('div', { class: 'timing-result' },
            h('p', { class: 'big', 'data-total': 'latency' }, t.latency, h('span', { class: 'muted' }, t.caption)),
            h('p', {}, t.throughput),
            h('p', { class: 'muted' }, t.engine),
          );
          timing = { model: graph, text };
          if (app.ready?.graph === graph) timingBox.replaceChildren(text);
        },
        (e) => {
          start.disabled = false;
          status.textContent = toProblem(e).message;
        },
      );
    });
    timingBox.replaceChildren(
      h('p', { class: 'muted' }, `Runs the model in this tab on WebAssembly, with ${weightsOfUpload(app.source) ? 'the weights of the file you opened' : 'weights drawn from a seed'}. Large models take a while: EfficientNet-B7 is a 250 MB export.`),
      h('div', { class: 'row' }, start, status),
    );
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  let dirty = true;
  const renderAll = () => {
    const r = app.ready;
    if (!r) return;
    renderControls();
    renderTraining(r.analysis);
    renderTiming();
    // Charts redraw once a slider rests, so dragging stays smooth.
    clearTimeout(timer);
    timer = setTimeout(() => {
      void (async () => {
        await renderLayers(r.analysis);
        await drawChart(memoryBox, memoryChart([r.analysis]));
        await renderSweep();
        root.dataset.drawn = 'true';
      })();
    }, 120);
  };

  app.listen((changes) => {
    if (changes.has('analysis')) dirty = true;
    if (changes.has('model')) group = null;
    if (app.state.view !== 'charts') return;
    if (dirty) {
      dirty = false;
      renderAll();
    } else if (changes.has('training') && app.ready) renderTraining(app.ready.analysis);
  });
}
