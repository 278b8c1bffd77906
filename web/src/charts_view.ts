/**
 * The charts view: the library's per-layer and memory charts, training memory against batch
 * size (a slider), and a sweep of the model's scaling knob (ρ, α or φ). Every chart spec comes
 * from src/report/charts.ts, the same functions `convlab chart` draws.
 */
import { analyze, type Analysis } from '../../src/analysis/index.js';
import { maxBatch, parseBytes, trainingMemory, type Optimizer } from '../../src/analysis/memory.js';
import { layersChart, memoryChart, sweepChart, type SweepPoint } from '../../src/report/charts.js';
import { groupRows } from '../../src/report/group.js';
import { bytes, human, int } from '../../src/report/units.js';
import { getModel } from '../../src/zoo/index.js';
import type { App } from './app.js';
import { byId, h, select } from './dom.js';
import { phiSiblings, slidersFor, toProblem, zooOptions } from './source.js';
import { timeInBrowser } from './timing.js';
import { drawChart } from './vega.js';

/** Above this many layers the per-layer chart starts rolled up to blocks. */
const GROUP_ABOVE = 60;

/** Fewer blocks than this and the rolled-up chart says less than the per-layer one. */
const MIN_BLOCKS = 8;

/** Batch slider positions: powers of two from 1 to 1024. */
const BATCHES = Array.from({ length: 11 }, (_, i) => 2 ** i);

type SweepKind = 'rho' | 'alpha' | 'phi';

/** The sweep points of the current zoo model along one knob; each point rebuilds and re-analyses. */
function sweepPoints(app: App, kind: SweepKind): { points: SweepPoint[]; title: string; axis: string } | null {
  if (app.source.kind !== 'zoo') return null;
  const c = app.source.choice;
  const meta = app.models.find((m) => m.id === c.id)!;
  const settings = app.settings();
  const point = (label: string, id: string, options: ReturnType<typeof zooOptions>): SweepPoint => {
    const a = analyze(getModel(id, options), settings);
    const acc = app.models.find((m) => m.id === id)?.accuracy?.top1;
    return { label, macs: a.totals.macs, params: a.totals.params, ...(kind === 'phi' && acc !== undefined ? { top1: acc } : {}) };
  };
  if (kind === 'rho') {
    const base = zooOptions(c);
    const channels = (c.input ?? meta.input)[2]!;
    const sizes = [0.5, 0.625, 0.75, 0.875, 1, 1.25, 1.5].map((r) => Math.round(r * meta.input[0]!));
    const points = sizes.flatMap((s) => {
      try {
        return [point(`${s}×${s}`, c.id, { ...base, input: [s, s, channels] })];
      } catch {
        return [];
      }
    });
    return { points, title: `${c.id}: input resolution sweep (ρ)`, axis: 'Input resolution' };
  }
  if (kind === 'alpha') {
    const base = zooOptions(c);
    const points = [0.25, 0.5, 0.75, 1, 1.25, 1.5].flatMap((alpha) => {
      try {
        return [point(`α=${alpha}`, c.id, { ...base, alpha })];
      } catch {
        return [];
      }
    });
    return { points, title: `${c.id}: width multiplier sweep (α)`, axis: 'Width multiplier α' };
  }
  const phi = phiSiblings(c.id, app.models.map((m) => m.id));
  if (!phi) return null;
  const points = [...phi.byPhi.entries()].sort((a, b) => a[0] - b[0]).map(([p, id]) => point(`φ=${p}`, id, { classes: c.classes, includeTop: c.includeTop }));
  return { points, title: `${meta.family}: compound scaling (φ)`, axis: 'Compound coefficient φ' };
}

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

  const trainingControls = h('div', { class: 'toolbar' });
  const layerControls = h('div', { class: 'toolbar' });
  const sweepControls = h('div', { class: 'toolbar' });
  const timingBox = h('div', { id: 'timing' });
  root.append(
    h('section', { class: 'card' }, h('h2', {}, 'Parameters and compute'), layerControls, layersBox),
    h('section', { class: 'card' }, h('h2', {}, 'Measured in this browser'), timingBox),
    h('section', { class: 'card' }, h('h2', {}, 'Training memory'), trainingControls, trainingBox),
    h('section', { class: 'card' }, h('h2', {}, 'Memory along depth'), memoryBox),
    h('section', { class: 'card' }, h('h2', {}, 'Scaling sweep'), sweepControls, sweepNote, sweepBox),
  );

  const renderTraining = (a: Analysis) => {
    const s = app.state;
    const m = trainingMemory(a, { batch: s.batch, optimizer: s.optimizer, dtype: a.dtype });
    let fits = '';
    try {
      const b = parseBytes(budget);
      fits = `largest batch in ${budget}: ${int(maxBatch(a, b, { optimizer: s.optimizer, dtype: a.dtype }))}`;
    } catch (e) {
      fits = toProblem(e).message;
    }
    const parts: Array<[string, number, string]> = [
      ['weights', m.weights, 'w'], ['gradients', m.gradients, 'g'], ['optimizer state', m.optimizerState, 'o'],
      ['saved activations', m.activations, 'a'], ['input batch', m.input, 'i'],
    ];
    trainingBox.replaceChildren(
      h('p', { class: 'big', 'data-total': 'training' }, `${bytes(m.total)} `, h('span', { class: 'muted' }, `at batch ${m.batch}, ${m.optimizer}, ${m.dtype}`)),
      h('div', { class: 'stack', role: 'img', 'aria-label': 'Training memory by source' },
        ...parts.filter(([, v]) => v > 0).map(([label, v, k]) => h('span', { class: `part ${k}`, style: `flex-grow:${v}`, title: `${label}: ${bytes(v)}` }))),
      h('ul', { class: 'parts' }, ...parts.map(([label, v, k]) => h('li', {}, h('span', { class: `swatch ${k}` }), `${label} `, h('strong', {}, bytes(v))))),
      h('p', { class: 'muted' }, `fixed ${bytes(m.fixed)} + ${m.batch} × ${bytes(m.perSample)} per sample · ${fits}`),
    );
  };

  const renderControls = () => {
    const s = app.state;
    const idx = Math.max(0, BATCHES.findIndex((b) => b >= s.batch));
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
    trainingControls.replaceChildren(
      h('label', { class: 'field slider' }, h('span', {}, 'Batch'), batch, batchOut),
      select('Optimizer', [['sgd', 'SGD'], ['momentum', 'momentum'], ['adam', 'Adam']], s.optimizer, (v) => app.setTraining({ optimizer: v as Optimizer }), 'optimizer'),
      h('label', { class: 'field' }, h('span', {}, 'Budget'), budgetBox),
    );
    const kinds: Array<[SweepKind, string]> = [['rho', 'resolution ρ']];
    if (app.source.kind === 'zoo') {
      if (slidersFor(app.source.choice.id).some((x) => x.key === 'alpha')) kinds.push(['alpha', 'width α']);
      if (phiSiblings(app.source.choice.id, app.models.map((m) => m.id))) kinds.push(['phi', 'compound φ']);
    }
    if (!kinds.some(([k]) => k === sweep)) sweep = 'rho';
    sweepControls.replaceChildren(select('Sweep', kinds, sweep, (v) => ((sweep = v as SweepKind), void renderSweep()), 'sweep-kind'));
  };

  const renderLayers = async (a: Analysis) => {
    // Roll up only when it leaves a useful number of bars (MobileNet's names give a single "conv" block).
    const grouped = group ?? (a.layers.length > GROUP_ABOVE && groupRows(a.layers).length >= MIN_BLOCKS);
    layerControls.replaceChildren(
      h('label', { class: 'field check' },
        h('input', { type: 'checkbox', id: 'chart-group', checked: grouped, onchange: (e: Event) => ((group = (e.target as HTMLInputElement).checked), void renderLayers(a)) }),
        h('span', {}, 'Roll layers up to blocks')),
    );
    await drawChart(layersBox, layersChart(a, { group: grouped }));
  };

  const renderSweep = async () => {
    if (app.source.kind !== 'zoo') {
      sweepNote.textContent = 'Sweeps rebuild a zoo model with other options; a pasted spec has none.';
      sweepBox.replaceChildren();
      return;
    }
    const t0 = performance.now();
    const s = sweepPoints(app, sweep);
    if (!s || s.points.length < 2) {
      sweepNote.textContent = 'This model cannot be rebuilt along this knob.';
      sweepBox.replaceChildren();
      return;
    }
    sweepNote.textContent = `${s.points.length} rebuilds and analyses in ${Math.round(performance.now() - t0)} ms.`;
    await drawChart(sweepBox, sweepChart(s.points, { title: s.title, axis: s.axis }));
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
      start.disabled = true;
      timeInBrowser(graph, r.analysis.totals.macs, { warmup: 2, runs: 10, onProgress: (t) => (status.textContent = t) }).then(
        ({ result, threads, modelBytes }) => {
          const l = result.latencyMs;
          const text = h('div', { class: 'timing-result' },
            h('p', { class: 'big', 'data-total': 'latency' }, `${l.p50.toFixed(1)} ms `, h('span', { class: 'muted' }, `median of ${result.runs} runs at batch 1 (p90 ${l.p90.toFixed(1)} ms)`)),
            h('p', {}, `${result.imagesPerSecond.toFixed(1)} images/s · ${result.gflops === null ? '—' : result.gflops.toFixed(2)} GFLOP/s achieved against ${human(2 * r.analysis.totals.macs)} FLOPs (2 × MACs) per image`),
            h('p', { class: 'muted' }, `onnxruntime-web, WebAssembly, ${threads} thread${threads > 1 ? 's' : ''}, ${bytes(modelBytes)} ONNX model with seeded random weights (latency does not depend on their values).`),
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
      h('p', { class: 'muted' }, 'Runs the model in this tab on WebAssembly, with weights drawn from a seed. Large models take a while: EfficientNet-B7 is a 250 MB export.'),
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
