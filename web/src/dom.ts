/** Small DOM helpers: element creation, escaping and file downloads. */

type Attrs = Record<string, string | number | boolean | undefined | null | ((e: Event) => void)>;
type Child = Node | string | number | null | undefined | false;

/** Creates an element; `on…` attributes become listeners, `false`/null/undefined attributes are left out. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, ...children);
  return el;
}

/** Appends children, skipping empty ones. */
export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

/** The element with this id; a missing one is a bug in index.html, so it throws. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no #${id}`);
  return el as T;
}

/** Attributes that tell a control apart when its view redraws it: the focus returns to the new one. */
const FOCUS_KEYS = ['data-focus', 'data-sort', 'data-line', 'data-id', 'data-block', 'data-layer', 'data-download', 'data-export'] as const;

/** A selector that finds the same control after a redraw, or null when it has nothing to go by. */
function focusSelector(el: Element): string | null {
  if (el.id) return `#${CSS.escape(el.id)}`;
  for (const k of FOCUS_KEYS) {
    const v = el.getAttribute(k);
    if (v !== null) return `${el.tagName.toLowerCase()}[${k}="${CSS.escape(v)}"]`;
  }
  return null;
}

/**
 * Runs `redraw`, which may replace what is inside `root`, and puts the keyboard focus back on the
 * control that had it (the new element with the same id or key), so a control that acted keeps it.
 */
export function keepFocus(root: Element, redraw: () => void): void {
  const active = document.activeElement;
  const key = active && active !== document.body && root.contains(active) ? focusSelector(active) : null;
  redraw();
  if (key === null || (document.activeElement && document.activeElement !== document.body && root.contains(document.activeElement))) return;
  root.querySelector<HTMLElement | SVGElement>(key)?.focus({ preventScroll: true });
}

/** Escapes text for use inside HTML markup built as a string. */
export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Offers `text` as a file download. */
export const saveText = (name: string, text: string, type: string): void => saveBlob(name, new Blob([text], { type }));

/** Offers a blob as a file download. */
export function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A labelled <select> whose options are [value, label] pairs. */
export function select(label: string, options: ReadonlyArray<readonly [string, string]>, value: string, onChange: (v: string) => void, id?: string): HTMLLabelElement {
  const sel = h('select', { id, onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) });
  for (const [v, text] of options) sel.append(h('option', { value: v, selected: v === value }, text));
  return h('label', { class: 'field' }, h('span', {}, label), sel);
}
