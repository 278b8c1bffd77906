/**
 * The per-layer table: sortable columns, rows grouped under their block with subtotals, the
 * library's totals in the footer, a filter, and downloads in the command line's formats. Only
 * the rows in view are in the page (table_window.ts), so 100,000 layers scroll like 100. Every
 * block header and row holds a button: Tab reaches the table once, arrow keys, Page Up/Down,
 * Home and End move through it, Enter or Space folds a block or selects a layer.
 */
import { bytes, human, int } from '../../src/report/units.js';
import type { App } from './app.js';
import { byId, esc, h, keepFocus, saveText } from './dom.js';
import { columns, depthChoices, download, DOWNLOADS, footerTotals, nextSort, sections, sortMark, tableGroups, type Column, type ColumnKey, type DownloadFormat, type Sort, type Subtotals } from './table_model.js';
import { columnWidths, LINE_HEIGHT, scrollFor, tableLines, windowOf, type Line } from './table_window.js';

const EXTENSIONS: Record<DownloadFormat, string> = { csv: 'csv', json: 'json', md: 'md', html: 'html' };

/** Columns a phone shows: the op and the receptive field are a tap away in the details sheet. */
const NARROW_HIDDEN: ReadonlySet<ColumnKey> = new Set(['index', 'op', 'rf']);
const narrow = matchMedia('(max-width: 820px)');
/** Characters of a layer's name a phone shows before the ellipsis. */
const NARROW_NAME = 16;

/**
 * The cells of a block header or the totals row, one per column shown, so every figure sits
 * under its heading. `lead` fills the name column.
 */
function summaryCells(cols: readonly Column[], lead: string, t: Subtotals, exact = false): string {
  const num = (key: ColumnKey, text: string, value: number) =>
    `<td class="col-${key} num"${exact ? ` data-total="${key === 'memory' ? 'activationBytes' : key}" title="${int(value)}"` : ''}>${text}</td>`;
  const cell: Partial<Record<ColumnKey, () => string>> = {
    name: () => lead,
    params: () => num('params', int(t.params), t.params),
    macs: () => num('macs', human(t.macs), t.macs),
    flops: () => num('flops', human(t.flops), t.flops),
    memory: () => num('memory', bytes(t.memory), t.memory),
  };
  return cols.map((c) => cell[c.key]?.() ?? `<td class="col-${c.key}"></td>`).join('');
}

/** Mounts the table view into #view-table. */
export function mountTableView(app: App): void {
  const root = byId('view-table');
  let sort: Sort = { key: 'index', descending: false };
  let grouped = true;
  let depth = 1;
  let filter = '';
  const closed = new Set<string>();
  let lines: Line[] = [];
  let cols: Column[] = [];
  /** The line whose button is the table's tab stop. */
  let active = 0;
  let drawn = { start: -1, end: -1 };

  const group = h('input', { type: 'checkbox', id: 'group-rows', checked: true });
  group.addEventListener('change', () => {
    grouped = group.checked;
    render();
  });
  // The depth the sections group by, as `summary --group --depth`: stages at 1, the blocks inside them at 2.
  const depthSelect = h('select', { id: 'group-depth', 'aria-label': 'Block depth' }) as HTMLSelectElement;
  depthSelect.addEventListener('change', () => {
    depth = Number(depthSelect.value);
    render();
  });
  const depthBox = h('label', { class: 'field' }, h('span', {}, 'Depth'), depthSelect);
  const filterBox = h('input', { type: 'search', id: 'filter-rows', placeholder: 'Filter by name or op (Ctrl+F)…', 'aria-label': 'Filter layers by name or op' });
  const count = h('span', { class: 'status', role: 'status', id: 'table-count' });
  filterBox.addEventListener('input', () => {
    filter = filterBox.value.trim().toLowerCase();
    render();
  });
  const save = (format: DownloadFormat) => {
    const r = app.ready;
    if (!r) return;
    const text = download(r.analysis, format, { batch: app.state.batch, optimizer: app.state.optimizer });
    saveText(`${r.analysis.model}.${EXTENSIONS[format]}`, text, DOWNLOADS[format]);
  };
  const table = h('table', { class: 'layers', id: 'layer-table', 'aria-label': 'Layers' });
  const wrap = h('div', { class: 'table-wrap', id: 'table-scroll' }, table);
  root.append(
    h('div', { class: 'toolbar' },
      h('label', { class: 'field check' }, group, h('span', {}, 'Group by block')),
      depthBox,
      filterBox, count,
      h('div', { class: 'row', role: 'group', 'aria-label': 'Download the table' },
        h('span', { class: 'muted' }, 'Download'),
        ...(Object.keys(DOWNLOADS) as DownloadFormat[]).map((f) => h('button', { type: 'button', 'data-download': f, onclick: () => save(f) }, f.toUpperCase())),
      ),
    ),
    wrap,
  );

  const thead = h('thead', {});
  const tbody = h('tbody', {});
  const tfoot = h('tfoot', {});
  const colgroup = h('colgroup', {});
  table.append(colgroup, thead, tbody, tfoot);

  /** The markup of one line; its index places it for screen readers (after the header row). */
  const lineMarkup = (line: Line, i: number): string => {
    const stop = i === active ? '0' : '-1';
    if (line.kind === 'section') {
      const s = line.section;
      const open = !closed.has(s.block!);
      const lead = `<th scope="rowgroup" class="col-name"><button type="button" class="cell" data-line="${i}" tabindex="${stop}" aria-expanded="${open}">` +
        `<span class="toggle" aria-hidden="true">${open ? '▾' : '▸'}</span>${esc(s.block!)} <span class="muted">${int(s.rows.length)} layers</span></button></th>`;
      return `<tr class="section" data-block="${esc(s.block!)}" aria-rowindex="${i + 2}">${summaryCells(cols, lead, s.totals)}</tr>`;
    }
    const { row, index } = line.row;
    const sel = app.selected === row.name ? ' class="selected" aria-current="true"' : '';
    const cells = cols.map((c) =>
      c.key === 'name'
        ? `<td class="col-name"><button type="button" class="cell" data-line="${i}" tabindex="${stop}" title="${esc(row.name)}">${esc(row.name)}</button></td>`
        : `<td class="col-${c.key}${c.numeric ? ' num' : ''}">${esc(c.text(row, index))}</td>`);
    return `<tr data-layer="${esc(row.name)}" aria-rowindex="${i + 2}"${sel}>${cells.join('')}</tr>`;
  };

  /** Draws the lines in view (and a margin), with spacers standing for the rest. */
  const paint = (force = false) => {
    const w = windowOf(wrap.scrollTop, wrap.clientHeight || 600, lines.length);
    if (!force && w.start === drawn.start && w.end === drawn.end) return;
    drawn = w;
    const span = cols.length;
    const spacer = (n: number) => (n > 0 ? `<tr class="spacer" aria-hidden="true" style="height:${n * LINE_HEIGHT}px"><td colspan="${span}"></td></tr>` : '');
    const body: string[] = [spacer(w.start)];
    for (let i = w.start; i < w.end; i++) body.push(lineMarkup(lines[i]!, i));
    body.push(spacer(lines.length - w.end));
    keepFocus(tbody, () => (tbody.innerHTML = body.join('')));
    // With the active line out of view, the first line drawn is the way in.
    if (!tbody.querySelector('button.cell[tabindex="0"]')) tbody.querySelector('button.cell')?.setAttribute('tabindex', '0');
  };

  /** Rebuilds the lines from the analysis, sort, grouping, folds and filter, then draws. */
  const render = () => {
    const r = app.ready;
    if (!r) return;
    const a = r.analysis;
    cols = columns(a).filter((c) => !(narrow.matches && NARROW_HIDDEN.has(c.key)));
    const widths = columnWidths(a, Object.fromEntries(columns(a).map((c) => [c.key, c.label])) as Record<ColumnKey, string>);
    // A phone gives names less room: the full name is in the row's tooltip and the details sheet.
    if (narrow.matches) widths.name = Math.min(widths.name, NARROW_NAME);
    colgroup.innerHTML = cols.map((c) => `<col class="col-${c.key}" style="width:${widths[c.key] + 2}ch">`).join('');
    const depths = depthChoices(a);
    if (!depths.includes(depth)) depth = 1;
    depthSelect.replaceChildren(...depths.map((d) => h('option', { value: String(d), selected: d === depth }, String(d))));
    depthBox.hidden = !grouped || depths.length < 2;
    lines = tableLines(sections(a, sort, grouped ? tableGroups(a, depth) : undefined), closed, filter);
    active = Math.min(active, Math.max(0, lines.length - 1));
    const shownRows = lines.reduce((n, l) => n + (l.kind === 'row' ? 1 : 0), 0);
    count.textContent = filter ? `${int(shownRows)} of ${int(a.layers.length)} layers` : '';
    table.setAttribute('aria-rowcount', String(lines.length + 2));
    keepFocus(thead, () => {
      thead.innerHTML = `<tr aria-rowindex="1">${cols.map((c) => {
        const { state, arrow } = sortMark(sort, c.key);
        return `<th scope="col" class="col-${c.key}${c.numeric ? ' num' : ''}" aria-sort="${state}"><button type="button" class="sort" data-sort="${c.key}">${esc(c.label)}${arrow}</button></th>`;
      }).join('')}</tr>`;
    });
    tfoot.innerHTML = `<tr aria-rowindex="${lines.length + 2}">${summaryCells(cols, `<th scope="row" class="col-name">Total (${int(a.layers.length)} layers)</th>`, footerTotals(a), true)}</tr>`;
    paint(true);
  };

  /** Moves the tab stop to a line, scrolling it into view, and focuses it. */
  const moveTo = (i: number) => {
    if (lines.length === 0) return;
    active = Math.max(0, Math.min(lines.length - 1, i));
    const rowsHeight = wrap.clientHeight - thead.offsetHeight - tfoot.offsetHeight;
    wrap.scrollTop = scrollFor(active, wrap.scrollTop, Math.max(LINE_HEIGHT, rowsHeight));
    paint(true);
    tbody.querySelector<HTMLButtonElement>(`button.cell[data-line="${active}"]`)?.focus({ preventScroll: true });
  };

  let queued = false;
  wrap.addEventListener('scroll', () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      paint();
    });
  });
  narrow.addEventListener('change', () => app.state.view === 'table' && render());

  table.addEventListener('click', (e) => {
    const target = e.target as Element;
    const head = target.closest('button[data-sort]');
    if (head) {
      const key = head.getAttribute('data-sort') as ColumnKey;
      sort = nextSort(sort, key, columns(app.ready!.analysis).find((c) => c.key === key)!.numeric);
      render();
      return;
    }
    const line = target.closest('tr')?.querySelector('button.cell')?.getAttribute('data-line');
    if (line !== null && line !== undefined) active = Number(line);
    const section = target.closest('tr.section');
    if (section) {
      const b = section.getAttribute('data-block')!;
      if (closed.has(b)) closed.delete(b);
      else closed.add(b);
      render();
      return;
    }
    const row = target.closest('tr[data-layer]');
    if (row) app.select(row.getAttribute('data-layer'));
  });
  tbody.addEventListener('keydown', (e) => {
    const at = (e.target as Element).closest('button.cell')?.getAttribute('data-line');
    if (at === null || at === undefined) return;
    const i = Number(at);
    const page = Math.max(1, Math.floor((wrap.clientHeight - thead.offsetHeight - tfoot.offsetHeight) / LINE_HEIGHT) - 1);
    const to: Record<string, number> = { ArrowDown: i + 1, ArrowUp: i - 1, PageDown: i + page, PageUp: i - page, Home: 0, End: lines.length - 1 };
    if (!(e.key in to)) return;
    e.preventDefault();
    moveTo(to[e.key]!);
  });
  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f' && app.state.view === 'table') {
      e.preventDefault();
      filterBox.focus();
      filterBox.select();
    }
  });

  /** Brings the selected layer's row into view, unfolding nothing: a folded block's row stays folded. */
  const showSelected = () => {
    const i = lines.findIndex((l) => l.kind === 'row' && l.row.row.name === app.selected);
    if (i < 0) return;
    const rowsHeight = wrap.clientHeight - thead.offsetHeight - tfoot.offsetHeight;
    wrap.scrollTop = scrollFor(i, wrap.scrollTop, Math.max(LINE_HEIGHT, rowsHeight));
    paint(true);
  };

  let dirty = true;
  app.listen((changes) => {
    if (changes.has('analysis')) dirty = true;
    if (changes.has('model')) {
      closed.clear();
      active = 0;
      wrap.scrollTop = 0;
    }
    const visible = app.state.view === 'table';
    if (visible && (dirty || changes.has('view'))) {
      dirty = false;
      render();
      if (changes.has('view')) showSelected();
    } else if (visible && changes.has('selection')) {
      tbody.querySelector('tr.selected')?.classList.remove('selected');
      tbody.querySelector('tr[aria-current]')?.removeAttribute('aria-current');
      const row = app.selected ? tbody.querySelector(`tr[data-layer="${CSS.escape(app.selected)}"]`) : null;
      row?.classList.add('selected');
      row?.setAttribute('aria-current', 'true');
      if (!row) showSelected();
    }
  });
}
