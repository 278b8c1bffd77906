/**
 * The sidebar: which model, its options (input size, classes, α, ρ, φ), the conventions, and the
 * totals the library computed. Sliders re-analyse while they move.
 */
import { REFUSED, type App } from './app.js';
import { append, byId, h, keepFocus, select } from './dom.js';
import { readModelFile } from './files.js';
import { CONVENTION_MENUS, modelMenu, optionsModel, problemTitle, RHO, sliderText, totalsHeading, totalsList } from './sidebar_model.js';
import { toProblem, type ZooChoice } from './source.js';
import { pageMessages } from './messages.js';
import { positiveInt } from './state.js';
import { bytes } from '../../src/report/units.js';
import { totalNotes } from './whatif_model.js';

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

/** A labelled range input showing its value; `onInput` fires while dragging. */
function slider(label: string, o: { min: number; max: number; step: number; value: number; id: string; show?: (v: number) => string }, onInput: (v: number) => void) {
  const out = h('output', { for: o.id }, (o.show ?? sliderText)(o.value));
  const input = h('input', {
    type: 'range', id: o.id, min: o.min, max: o.max, step: o.step, value: o.value,
    oninput: (e: Event) => {
      const v = Number((e.target as HTMLInputElement).value);
      out.textContent = (o.show ?? sliderText)(v);
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
    const menu = modelMenu(app.models, app.source);
    if (menu.text !== null) sel.append(h('option', { value: '', selected: true }, menu.text));
    for (const g of menu.groups) sel.append(h('optgroup', { label: g.family }, ...g.options.map((o) => h('option', { value: o.value, selected: o.selected }, o.label))));
    sel.addEventListener('change', () => {
      if (sel.value !== '') app.setSource({ kind: 'zoo', choice: { id: sel.value } });
    });
    // Reached through its button: the hidden input itself is no tab stop.
    const upload = h('input', { type: 'file', id: 'upload', accept: '.json,.onnx', class: 'visually-hidden', tabindex: -1, 'aria-hidden': 'true' });
    upload.addEventListener('change', () => {
      const file = upload.files?.[0];
      if (file) openFile(file);
      upload.value = '';
    });
    keepFocus(modelBox, () => modelBox.replaceChildren(
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
      loading,
    ));
  };
  const loading = h('p', { class: 'status', id: 'loading', role: 'status' });

  /** Reads a file, saying so while a large one is read and analysed, and lets the message paint before the work starts. */
  const openFile = (file: File) => {
    loading.textContent = pageMessages.analysing(file.name, bytes(file.size));
    readModelFile(file)
      .then(async (source) => {
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        await app.setSource(source);
      })
      .catch((e) => app.report(toProblem(e)))
      .finally(() => (loading.textContent = ''));
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
    const o = optionsModel(c, app.models.find((m) => m.id === c.id)!, app.models.map((m) => m.id));
    const input = o.input;
    const setInput = (hw: [number, number], ch = input[2]!) => {
      c.input = [hw[0], hw[1], ch];
      recompute();
    };
    // A value the builder cannot take is refused beside the box, and the model stays as it was.
    const num = (label: string, value: number, id: string, onChange: (v: number) => void) =>
      h('label', { class: 'field num' }, h('span', {}, label),
        h('input', {
          type: 'number', id, min: 1, step: 1, value, inputmode: 'numeric', 'aria-describedby': 'input-problem',
          onchange: (e: Event) => {
            const box = e.target as HTMLInputElement;
            const v = positiveInt(box.value);
            box.setAttribute('aria-invalid', String(v === undefined));
            inputProblem.textContent = v === undefined ? pageMessages.badNumberInput(label, box.value) : '';
            if (v !== undefined) onChange(v);
          },
        }));
    const inputProblem = h('p', { class: 'field-problem', id: 'input-problem', role: 'alert' });
    const parts: HTMLElement[] = [
      h('h2', {}, 'Options'),
      h('div', { class: 'row inputs' },
        num('H', input[0]!, 'opt-h', (v) => (setInput([v, input[1]!]), renderOptions())),
        num('W', input[1]!, 'opt-w', (v) => (setInput([input[0]!, v]), renderOptions())),
        num('C', input[2]!, 'opt-c', (v) => (setInput([input[0]!, input[1]!], v), renderOptions())),
      ),
      inputProblem,
      slider('ρ resolution', { ...RHO, value: o.rho, id: 'opt-rho', show: o.rhoText }, (v) => {
        const hw = o.inputAt(v);
        setInput(hw);
        (byId<HTMLInputElement>('opt-h')).value = String(hw[0]);
        (byId<HTMLInputElement>('opt-w')).value = String(hw[1]);
      }),
    ];
    for (const s of o.sliders) {
      parts.push(slider(s.label, { min: s.min, max: s.max, step: s.step, value: s.value, id: `opt-${s.key}` }, (v) => {
        c.extra = { ...(c.extra ?? {}), [s.key]: v };
        recompute();
      }));
    }
    const phi = o.phi;
    if (phi) {
      parts.push(slider('φ compound scaling', { min: phi.min, max: phi.max, step: 1, value: phi.value, id: 'opt-phi', show: phi.text }, (v) => {
        const id = phi.idAt(v);
        if (!id || id === choice()?.id) return;
        app.source = { kind: 'zoo', choice: { id } };
        recompute();
        // The φ slider itself is rebuilt with the new model's options once the drag ends.
      }));
    }
    parts.push(
      num('Classes', o.classes, 'opt-classes', (v) => {
        c.classes = v;
        recompute();
      }),
      h('label', { class: 'field check' },
        h('input', { type: 'checkbox', id: 'opt-top', checked: o.includeTop, onchange: (e: Event) => {
          c.includeTop = (e.target as HTMLInputElement).checked;
          recompute();
        } }),
        h('span', {}, 'Include the classifier (top)'),
      ),
    );
    keepFocus(optionsBox, () => optionsBox.replaceChildren(...parts));
    document.getElementById('opt-phi')?.addEventListener('change', () => {
      renderModel();
      renderOptions();
    });
  };

  const renderConventions = () => {
    keepFocus(conventionBox, () => conventionBox.replaceChildren(
      h('h2', {}, 'Conventions'),
      select('FLOPs', CONVENTION_MENUS.convention, app.state.convention, (v) => app.setSettings({ convention: v as never }), 'convention'),
      select('Params', CONVENTION_MENUS.params, app.state.params, (v) => app.setSettings({ params: v as never }), 'params'),
      select('dtype', CONVENTION_MENUS.dtype, app.state.dtype, (v) => app.setSettings({ dtype: v as never }), 'dtype'),
    ));
  };

  const renderTotals = () => {
    const r = app.ready;
    if (!r) {
      totalsBox.replaceChildren();
      return;
    }
    const head = totalsHeading(r.analysis);
    // With what-if moves on, each note says what the total was before them.
    const was = r.whatif ? totalNotes(r.whatif.before.analysis, r.analysis) : null;
    totalsBox.replaceChildren();
    append(totalsBox,
      h('h2', {}, head.model, h('span', { class: 'muted' }, head.shapes)),
      app.problem && app.problem.kind !== REFUSED ? h('p', { class: 'stale' }, 'Still showing the last model that analysed.') : null,
      h('dl', { class: 'totals' },
        ...totalsList(r.analysis).flatMap((t) => [
          h('dt', {}, t.label), h('dd', { 'data-total': t.key }, t.exact), h('dd', { class: was ? 'note was' : 'note', 'data-note': t.key }, was?.[t.key] ?? t.note),
        ]),
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
      h('strong', {}, problemTitle(p)),
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
