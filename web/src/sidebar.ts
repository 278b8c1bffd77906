/**
 * The sidebar: which model, its options (input size, classes, α, ρ, φ), the conventions, and the
 * totals the library computed. Sliders re-analyse while they move.
 */
import { int, human, bytes, shape } from '../../src/report/units.js';
import type { App } from './app.js';
import { append, byId, h, select } from './dom.js';
import { readModelFile } from './files.js';
import { phiSiblings, slidersFor, toProblem, type ZooChoice } from './source.js';

/** Runs `fn` once per animation frame however often it is asked, so slider drags stay smooth. */
function perFrame(fn: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      fn();
    });
  };
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** A labelled range input showing its value; `onInput` fires while dragging. */
function slider(label: string, o: { min: number; max: number; step: number; value: number; id: string; show?: (v: number) => string }, onInput: (v: number) => void) {
  const out = h('output', { for: o.id }, (o.show ?? fmt)(o.value));
  const input = h('input', {
    type: 'range', id: o.id, min: o.min, max: o.max, step: o.step, value: o.value,
    oninput: (e: Event) => {
      const v = Number((e.target as HTMLInputElement).value);
      out.textContent = (o.show ?? fmt)(v);
      onInput(v);
    },
  });
  return h('label', { class: 'field slider' }, h('span', {}, label), input, out);
}

/** Mounts the sidebar into #sidebar. */
export function mountSidebar(app: App): void {
  const root = byId('sidebar');
  const modelBox = h('section', { class: 'panel', id: 'source' });
  const optionsBox = h('section', { class: 'panel', id: 'options' });
  const conventionBox = h('section', { class: 'panel', id: 'conventions' });
  const totalsBox = h('section', { class: 'panel', id: 'totals', 'aria-live': 'polite' });
  const problemBox = h('div', { id: 'problem', role: 'alert', hidden: true });
  root.append(modelBox, problemBox, totalsBox, optionsBox, conventionBox);

  const recompute = perFrame(() => app.recompute());
  const choice = (): ZooChoice | null => (app.source.kind === 'zoo' ? app.source.choice : null);

  const renderModel = () => {
    const sel = h('select', { id: 'model', 'aria-label': 'Model' });
    if (app.source.kind === 'text') sel.append(h('option', { value: '', selected: true }, app.source.name));
    const families = new Map<string, typeof app.models>();
    for (const m of app.models) families.set(m.family, [...(families.get(m.family) ?? []), m]);
    for (const [family, ms] of families) {
      const group = h('optgroup', { label: family });
      for (const m of ms) group.append(h('option', { value: m.id, selected: choice()?.id === m.id }, `${m.id} (${m.year})`));
      sel.append(group);
    }
    sel.addEventListener('change', () => {
      if (sel.value !== '') app.setSource({ kind: 'zoo', choice: { id: sel.value } });
    });
    const upload = h('input', { type: 'file', id: 'upload', accept: '.json,.onnx', class: 'visually-hidden' });
    upload.addEventListener('change', () => {
      const file = upload.files?.[0];
      if (file) openFile(file);
      upload.value = '';
    });
    modelBox.replaceChildren(
      h('label', { class: 'field' }, h('span', {}, 'Model'), sel),
      h('div', { class: 'row' },
        h('button', { type: 'button', onclick: () => upload.click() }, 'Open file…'),
        h('button', { type: 'button', onclick: () => {
          app.setView('spec');
          // Select the editor's text so a paste replaces it.
          const editor = document.getElementById('spec-text') as HTMLTextAreaElement | null;
          editor?.focus();
          editor?.select();
        } }, 'Paste a spec'),
      ),
      upload,
    );
  };

  const openFile = (file: File) => {
    readModelFile(file).then(
      (source) => app.setSource(source),
      (e) => app.report(toProblem(e)),
    );
  };
  document.addEventListener('dragover', (e) => e.preventDefault());
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    const file = e.dataTransfer?.files[0];
    if (file) openFile(file);
  });

  const renderOptions = () => {
    const c = choice();
    if (!c) {
      optionsBox.replaceChildren(h('h2', {}, 'Options'), h('p', { class: 'muted' }, 'A pasted or uploaded spec: edit it in the Spec view.'));
      return;
    }
    const meta = app.models.find((m) => m.id === c.id)!;
    const input = c.input ?? meta.input;
    const setInput = (hw: [number, number], ch = input[2]!) => {
      c.input = [hw[0], hw[1], ch];
      recompute();
    };
    const num = (label: string, value: number, id: string, onChange: (v: number) => void) =>
      h('label', { class: 'field num' }, h('span', {}, label),
        h('input', {
          type: 'number', id, min: 1, step: 1, value, inputmode: 'numeric',
          onchange: (e: Event) => {
            const v = Number((e.target as HTMLInputElement).value);
            if (Number.isInteger(v) && v > 0) onChange(v);
          },
        }));
    const rho = input[0]! / meta.input[0]!;
    const parts: HTMLElement[] = [
      h('h2', {}, 'Options'),
      h('div', { class: 'row inputs' },
        num('H', input[0]!, 'opt-h', (v) => (setInput([v, input[1]!]), renderOptions())),
        num('W', input[1]!, 'opt-w', (v) => (setInput([input[0]!, v]), renderOptions())),
        num('C', input[2]!, 'opt-c', (v) => (setInput([input[0]!, input[1]!], v), renderOptions())),
      ),
      slider('ρ resolution', { min: 0.25, max: 2, step: 0.0625, value: rho, id: 'opt-rho', show: (v) => `${fmt(v)} → ${Math.round(v * meta.input[0]!)}` }, (v) => {
        const hgt = Math.max(1, Math.round(v * meta.input[0]!));
        const wid = Math.max(1, Math.round(v * meta.input[1]!));
        setInput([hgt, wid]);
        (byId<HTMLInputElement>('opt-h')).value = String(hgt);
        (byId<HTMLInputElement>('opt-w')).value = String(wid);
      }),
    ];
    for (const s of slidersFor(c.id)) {
      const value = c.extra?.[s.key] ?? s.fallback;
      parts.push(slider(s.label, { min: s.min, max: s.max, step: s.step, value, id: `opt-${s.key}` }, (v) => {
        c.extra = { ...(c.extra ?? {}), [s.key]: v };
        recompute();
      }));
    }
    const phi = phiSiblings(c.id, app.models.map((m) => m.id));
    if (phi) {
      const phis = [...phi.byPhi.keys()].sort((a, b) => a - b);
      parts.push(slider('φ compound scaling', { min: phis[0]!, max: phis[phis.length - 1]!, step: 1, value: phi.phi, id: 'opt-phi', show: (v) => `${v} → ${phi.byPhi.get(v) ?? '—'}` }, (v) => {
        const id = phi.byPhi.get(v);
        if (!id || id === choice()?.id) return;
        app.source = { kind: 'zoo', choice: { id } };
        recompute();
        // The φ slider itself is rebuilt with the new model's options once the drag ends.
      }));
    }
    parts.push(
      num('Classes', c.classes ?? meta.classes, 'opt-classes', (v) => {
        c.classes = v;
        recompute();
      }),
      h('label', { class: 'field check' },
        h('input', { type: 'checkbox', id: 'opt-top', checked: c.includeTop !== false, onchange: (e: Event) => {
          c.includeTop = (e.target as HTMLInputElement).checked;
          recompute();
        } }),
        h('span', {}, 'Include the classifier (top)'),
      ),
    );
    optionsBox.replaceChildren(...parts);
    document.getElementById('opt-phi')?.addEventListener('change', () => {
      renderModel();
      renderOptions();
    });
  };

  const renderConventions = () => {
    conventionBox.replaceChildren(
      h('h2', {}, 'Conventions'),
      select('FLOPs', [['lecture', 'lecture (seed)'], ['macs', 'MACs only'], ['flops', 'hardware FLOPs']], app.state.convention, (v) => app.setSettings({ convention: v as never }), 'convention'),
      select('Params', [['keras', 'Keras (BN 4·C)'], ['torch', 'torch (BN 2·C)']], app.state.params, (v) => app.setSettings({ params: v as never }), 'params'),
      select('dtype', [['fp32', 'fp32 (4 B)'], ['fp16', 'fp16 (2 B)']], app.state.dtype, (v) => app.setSettings({ dtype: v as never }), 'dtype'),
    );
  };

  const renderTotals = () => {
    const r = app.ready;
    if (!r) {
      totalsBox.replaceChildren();
      return;
    }
    const a = r.analysis;
    const t = a.totals;
    const item = (key: string, label: string, exact: string, note = '') =>
      [h('dt', {}, label), h('dd', { 'data-total': key }, exact), h('dd', { class: 'note' }, note)];
    const flopsLabel = a.convention === 'macs' ? 'FLOPs (= MACs)' : `FLOPs (${a.convention})`;
    totalsBox.replaceChildren();
    append(totalsBox,
      h('h2', {}, a.model, h('span', { class: 'muted' }, ` ${a.inputs.map((i) => shape(i.shape)).join(' ')} → ${a.outputs.map((o) => shape(o.shape)).join(' ')}`)),
      app.problem ? h('p', { class: 'stale' }, 'Still showing the last model that analysed.') : null,
      h('dl', { class: 'totals' },
        ...item('params', 'Params', int(t.params), human(t.params)),
        ...item('trainableParams', 'trainable', int(t.trainableParams)),
        ...item('nonTrainableParams', 'non-trainable', int(t.nonTrainableParams)),
        ...item('macs', 'MACs', int(t.macs), human(t.macs)),
        ...item('flops', flopsLabel, int(t.flops), human(t.flops)),
        ...item('paramBytes', `Weights (${a.dtype})`, bytes(t.paramBytes)),
        ...item('activationBytes', 'Activations / sample', bytes(t.activationBytes)),
        ...item('inferencePeakBytes', 'Inference peak / sample', bytes(t.inferencePeakBytes)),
        ...item('layers', 'Layers', int(a.layers.length)),
      ),
    );
  };

  const renderProblem = () => {
    const p = app.problem;
    problemBox.hidden = p === null;
    problemBox.replaceChildren();
    if (!p) return;
    append(problemBox,
      h('button', { type: 'button', class: 'close', 'aria-label': 'Dismiss', onclick: () => app.report(null) }, '×'),
      h('strong', {}, p.node !== undefined ? `Error at node ${p.node}` : 'Error'),
      h('p', {}, p.message),
    );
  };

  renderModel();
  renderOptions();
  renderConventions();
  app.listen((changes) => {
    if (changes.has('source')) {
      renderModel();
      renderOptions();
    }
    if (changes.has('analysis') || changes.has('problem')) renderTotals();
    if (changes.has('problem')) renderProblem();
  });
}
