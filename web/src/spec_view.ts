/**
 * The spec editor: the model as JSON, one node per line. Typing re-analyses after a short pause;
 * an error is drawn inline, under the node it names, with the library's message.
 */
import type { App } from './app.js';
import { byId, h, saveText } from './dom.js';
import { editorAction, inlineTop, scrollToSpan, specPaint, type TextMetrics } from './spec_model.js';
import { formatSpec, type Span } from './spec_text.js';

/** Pause after the last keystroke before the spec is re-analysed. */
const EDIT_DELAY_MS = 250;

/** The name of text typed or pasted into the editor, as error messages and the model menu show it. */
const EDITED = 'edited spec';

/** Mounts the spec view into #view-spec. */
export function mountSpecView(app: App): void {
  const root = byId('view-spec');
  const textarea = h('textarea', { id: 'spec-text', spellcheck: 'false', wrap: 'off', autocapitalize: 'off', autocomplete: 'off', 'aria-label': 'Model spec (JSON)' });
  const backdrop = h('pre', { class: 'backdrop', 'aria-hidden': 'true' });
  const inline = h('div', { class: 'inline-error', role: 'alert', hidden: true });
  const banner = h('div', { class: 'error-banner', hidden: true });
  const status = h('span', { class: 'status', 'aria-live': 'polite' });
  const editor = h('div', { class: 'editor' }, backdrop, textarea, inline);
  /** What the text is called in messages: the uploaded file's name, else "edited spec". */
  let sourceName = EDITED;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let span: Span | null = null;

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
    banner,
    editor,
  );

  /** Line height and padding of the textarea, read from its computed style. */
  const metrics = (): TextMetrics => {
    const cs = getComputedStyle(textarea);
    return { line: parseFloat(cs.lineHeight) || 18, top: parseFloat(cs.paddingTop) || 0 };
  };

  const placeInline = () => {
    if (!span || inline.hidden) return;
    inline.style.top = `${inlineTop(span, metrics(), textarea.scrollTop)}px`;
    const visible = parseFloat(inline.style.top) > 0 && parseFloat(inline.style.top) < textarea.clientHeight;
    inline.classList.toggle('offscreen', !visible);
  };

  /** Redraws the backdrop: the text with the error's lines marked. */
  function paint() {
    const p = specPaint(textarea.value, app.source.kind === 'text' ? app.problem : null);
    span = p.span;
    backdrop.innerHTML = p.backdrop;
    inline.hidden = p.inline === null;
    if (p.inline) inline.replaceChildren(h('strong', {}, p.inline.title), h('span', {}, p.inline.message));
    banner.hidden = p.banner === null;
    if (p.banner === null || 'message' in p.banner) banner.textContent = p.banner?.message ?? '';
    else {
      const at = span!;
      banner.replaceChildren(p.banner.place, h('button', { type: 'button', class: 'link', onclick: () => jumpTo(at) }, 'Show'));
    }
    if (!span) return;
    backdrop.scrollTop = textarea.scrollTop;
    placeInline();
  }

  const jumpTo = (s: Span) => {
    textarea.focus();
    textarea.setSelectionRange(s.start, s.start);
    textarea.scrollTop = scrollToSpan(s, metrics(), textarea.clientHeight);
    sync();
  };

  const sync = () => {
    backdrop.scrollTop = textarea.scrollTop;
    backdrop.scrollLeft = textarea.scrollLeft;
    placeInline();
  };
  textarea.addEventListener('scroll', sync);

  textarea.addEventListener('input', () => {
    status.textContent = 'editing…';
    clearTimeout(timer);
    timer = setTimeout(() => {
      app.setSource({ kind: 'text', name: sourceName, text: textarea.value });
      status.textContent = app.problem ? '' : `analysed ${new Date().toLocaleTimeString()}`;
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
