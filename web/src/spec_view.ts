/**
 * The spec editor: the model as JSON, one node per line, with line numbers. Typing re-analyses
 * after a short pause; an error marks its lines in the text and in the gutter, and the message
 * line under the editor says where it is and what the library says, covering no text.
 */
import type { App } from './app.js';
import { byId, h, saveText } from './dom.js';
import { editorAction, gutterMarkup, scrollToSpan, specPaint, type TextMetrics } from './spec_model.js';
import { formatSpec, type Span } from './spec_text.js';

/** Pause after the last keystroke before the spec is re-analysed. */
const EDIT_DELAY_MS = 250;

/** The name of text typed or pasted into the editor, as error messages and the model menu show it. */
const EDITED = 'edited spec';

/** Mounts the spec view into #view-spec. */
export function mountSpecView(app: App): void {
  const root = byId('view-spec');
  const textarea = h('textarea', {
    id: 'spec-text', spellcheck: 'false', wrap: 'off', autocapitalize: 'off', autocomplete: 'off',
    'aria-label': 'Model spec (JSON)', 'aria-describedby': 'spec-message', 'aria-invalid': 'false',
  });
  const backdrop = h('pre', { class: 'backdrop', 'aria-hidden': 'true' });
  const gutter = h('pre', { class: 'gutter', 'aria-hidden': 'true' });
  const where = h('strong', { class: 'where' });
  const text = h('span', { class: 'text' });
  const jump = h('button', { type: 'button', class: 'link', id: 'spec-jump' }, 'Go to the line');
  const message = h('div', { class: 'spec-message', id: 'spec-message', role: 'alert', hidden: true }, where, text, jump);
  const status = h('span', { class: 'status', role: 'status' });
  const editor = h('div', { class: 'editor' }, gutter, h('div', { class: 'text-area' }, backdrop, textarea));
  /** What the text is called in messages: the uploaded file's name, else "edited spec". */
  let sourceName = EDITED;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let span: Span | null = null;
  let gutterKey = '';

  const loadCurrent = () => {
    const r = app.ready;
    if (!r) return;
    textarea.value = formatSpec(r.spec);
    sourceName = EDITED;
    paint();
  };

  root.append(
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', id: 'spec-load', onclick: loadCurrent }, 'Show the current model'),
      h('button', { type: 'button', onclick: () => document.getElementById('upload')?.click() }, 'Open file…'),
      h('button', { type: 'button', onclick: () => saveText(`${app.ready?.analysis.model ?? 'spec'}.json`, textarea.value, 'application/json') }, 'Download'),
      status,
    ),
    h('p', { class: 'muted hint' }, 'Paste a convlab spec or a Keras / TensorFlow.js model.json, or edit this one: the page re-analyses as you type.'),
    editor,
    message,
  );

  /** Line height and padding of the textarea, read from its computed style. */
  const metrics = (): TextMetrics => {
    const cs = getComputedStyle(textarea);
    return { line: parseFloat(cs.lineHeight) || 18, top: parseFloat(cs.paddingTop) || 0 };
  };

  /** Redraws the backdrop, the gutter and the message line for the text and the problem shown. */
  function paint() {
    const p = specPaint(textarea.value, app.source.kind === 'text' ? app.problem : null);
    span = p.span;
    backdrop.innerHTML = p.backdrop;
    let lines = 1;
    for (let i = textarea.value.indexOf('\n'); i >= 0; i = textarea.value.indexOf('\n', i + 1)) lines++;
    const key = `${lines}:${span?.line ?? -1}:${span?.endLine ?? -1}`;
    if (key !== gutterKey) {
      gutterKey = key;
      gutter.innerHTML = gutterMarkup(lines, span);
    }
    message.hidden = p.message === null;
    textarea.setAttribute('aria-invalid', String(p.message !== null));
    where.textContent = p.message?.where ? `${p.message.where}: ` : 'Error: ';
    text.textContent = p.message?.text ?? '';
    jump.hidden = span === null;
    sync();
  }

  jump.addEventListener('click', () => {
    if (!span) return;
    textarea.focus();
    textarea.setSelectionRange(span.start, span.start);
    textarea.scrollTop = scrollToSpan(span, metrics(), textarea.clientHeight);
    sync();
  });

  const sync = () => {
    backdrop.scrollTop = textarea.scrollTop;
    backdrop.scrollLeft = textarea.scrollLeft;
    gutter.scrollTop = textarea.scrollTop;
  };
  textarea.addEventListener('scroll', sync);

  textarea.addEventListener('input', () => {
    status.textContent = 'editing…';
    clearTimeout(timer);
    timer = setTimeout(() => {
      void app.setSource({ kind: 'text', name: sourceName, text: textarea.value }).then(() => {
        status.textContent = app.problem ? '' : `analysed ${new Date().toLocaleTimeString()}`;
      });
    }, EDIT_DELAY_MS);
  });

  let shownSource: unknown = null;
  app.listen((changes) => {
    if (app.state.view !== 'spec') return;
    const src = app.source;
    // The editor mirrors the source: a zoo model's generated spec, or the text being edited.
    const action = editorAction(src, changes, { shown: shownSource, text: textarea.value, typing: document.activeElement === textarea });
    if (action === 'load') loadCurrent();
    else if (action === 'adopt' && src.kind === 'text') {
      textarea.value = src.text;
      sourceName = src.name;
    }
    shownSource = src;
    if (changes.has('problem') || changes.has('analysis') || changes.has('view')) paint();
  });
}
