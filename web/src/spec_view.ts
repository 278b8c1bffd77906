/**
 * The spec editor: the model as JSON, one node per line. Typing re-analyses after a short pause;
 * an error is drawn inline, under the node it names, with the library's message.
 */
import type { App } from './app.js';
import { byId, esc, h, saveText } from './dom.js';
import { formatSpec, locateProblem, type Span } from './spec_text.js';

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
  const metrics = () => {
    const cs = getComputedStyle(textarea);
    return { line: parseFloat(cs.lineHeight) || 18, top: parseFloat(cs.paddingTop) || 0 };
  };

  const placeInline = () => {
    if (!span || inline.hidden) return;
    const m = metrics();
    inline.style.top = `${m.top + (span.endLine + 1) * m.line - textarea.scrollTop + 2}px`;
    const visible = parseFloat(inline.style.top) > 0 && parseFloat(inline.style.top) < textarea.clientHeight;
    inline.classList.toggle('offscreen', !visible);
  };

  /** Redraws the backdrop: the text with the error's lines marked. */
  function paint() {
    const text = textarea.value;
    const p = app.source.kind === 'text' ? app.problem : null;
    span = p ? locateProblem(text, p) : null;
    if (!span) {
      backdrop.innerHTML = `${esc(text)}\n`;
      inline.hidden = true;
      banner.hidden = p === null;
      banner.textContent = p ? p.message : '';
      return;
    }
    const lines = text.split('\n');
    const before = lines.slice(0, span.line).join('\n');
    const marked = lines.slice(span.line, span.endLine + 1).join('\n');
    const after = lines.slice(span.endLine + 1).join('\n');
    backdrop.innerHTML = `${esc(before)}${span.line > 0 ? '\n' : ''}<mark>${esc(marked)}</mark>\n${esc(after)}\n`;
    const where = p!.node !== undefined ? `node ${p!.node}` : 'here';
    inline.replaceChildren(h('strong', {}, `${where} · line ${span.line + 1}`), h('span', {}, p!.message));
    inline.hidden = false;
    banner.hidden = false;
    banner.replaceChildren(
      `Error at ${where}, line ${span.line + 1}. `,
      h('button', { type: 'button', class: 'link', onclick: () => jumpTo(span!) }, 'Show'),
    );
    backdrop.scrollTop = textarea.scrollTop;
    placeInline();
  }

  const jumpTo = (s: Span) => {
    const m = metrics();
    textarea.focus();
    textarea.setSelectionRange(s.start, s.start);
    textarea.scrollTop = Math.max(0, s.line * m.line - textarea.clientHeight / 3);
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
    if (src.kind === 'zoo' && (changes.has('analysis') || changes.has('view'))) loadCurrent();
    else if (src.kind === 'text' && shownSource !== src && textarea.value !== src.text && document.activeElement !== textarea) {
      textarea.value = src.text;
      sourceName = src.name;
    }
    shownSource = src;
    if (changes.has('problem') || changes.has('analysis') || changes.has('view')) paint();
  });
}
