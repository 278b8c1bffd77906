/**
 * The per-layer table: sortable columns, rows grouped under their block with subtotals, the
 * library's totals in the footer, a filter, and downloads in the command line's formats.
 */
import { bytes, human, int } from '../../src/report/units.js';
import type { App } from './app.js';
import { byId, esc, h, saveText } from './dom.js';
import { columns, depthChoices, download, DOWNLOADS, footerTotals, matchesFilter, nextSort, sections, sortMark, tableGroups, type ColumnKey, type DownloadFormat, type Sort, type Subtotals } from './table_model.js';

const EXTENSIONS: Record<DownloadFormat, string> = { csv: 'csv', json: 'json', md: 'md', html: 'html' };

/**
 * The cells of a block header or the totals row, one per column with the column's class, so
 * hiding a column on a narrow screen keeps every figure under its heading.
 */
function summaryCells(lead: string, label: string, t: Subtotals, scope: 'row' | 'rowgroup', exact = false): string {
  const num = (key: string, text: string, value: number) =>
    `<td class="col-${key} num"${exact ? ` data-total="${key === 'memory' ? 'activationBytes' : key}" title="${int(value)}"` : ''}>${text}</td>`;
  return (
    `<td class="col-index">${lead}</td><th class="col-name" scope="${scope}">${label}</th><td class="col-op"></td><td class="col-shape"></td>` +
    num('params', int(t.params), t.params) + num('macs', human(t.macs), t.macs) + num('flops', human(t.flops), t.flops) +
    num('memory', bytes(t.memory), t.memory) + '<td class="col-rf"></td>'
  );
}

/** Mounts the table view into #view-table. */
export function mountTableView(app: App): void {
  const root = byId('view-table');
  let sort: Sort = { key: 'index', descending: false };
  let grouped = true;
  let depth = 1;
  let filter = '';
  const closed = new Set<string>();

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
  const filterBox = h('input', { type: 'search', id: 'filter-rows', placeholder: 'Filter by name or op…', 'aria-label': 'Filter layers' });
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
  const table = h('table', { class: 'layers', id: 'layer-table' });
  root.append(
    h('div', { class: 'toolbar' },
      h('label', { class: 'field check' }, group, h('span', {}, 'Group by block')),
      depthBox,
      filterBox,
      h('div', { class: 'row' },
        h('span', { class: 'muted' }, 'Download'),
        ...(Object.keys(DOWNLOADS) as DownloadFormat[]).map((f) => h('button', { type: 'button', 'data-download': f, onclick: () => save(f) }, f.toUpperCase())),
      ),
    ),
    h('div', { class: 'table-wrap' }, table),
  );

  table.addEventListener('click', (e) => {
    const target = e.target as Element;
    const head = target.closest('th[data-sort]');
    if (head) {
      sort = nextSort(sort, head.getAttribute('data-sort') as ColumnKey, head.classList.contains('num'));
      render();
      return;
    }
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

  const render = () => {
    const r = app.ready;
    if (!r) return;
    const a = r.analysis;
    const cols = columns(a);
    const depths = depthChoices(a);
    if (!depths.includes(depth)) depth = 1;
    depthSelect.replaceChildren(...depths.map((d) => h('option', { value: String(d), selected: d === depth }, String(d))));
    depthBox.hidden = !grouped || depths.length < 2;
    const groupOf = grouped ? tableGroups(a, depth) : undefined;
    const secs = sections(a, sort, groupOf);
    const head = cols
      .map((c) => {
        const { state, arrow } = sortMark(sort, c.key);
        return `<th scope="col" class="col-${c.key}${c.numeric ? ' num' : ''}" data-sort="${c.key}" aria-sort="${state}" tabindex="0">${esc(c.label)}${arrow}</th>`;
      })
      .join('');
    const body: string[] = [];
    for (const s of secs) {
      const rows = s.rows.filter(({ row }) => matchesFilter(filter, row));
      if (rows.length === 0) continue;
      if (s.block !== null) {
        const isClosed = closed.has(s.block);
        body.push(
          `<tr class="section${isClosed ? ' closed' : ''}" data-block="${esc(s.block)}">` +
          summaryCells(`<span class="toggle">${isClosed ? '▸' : '▾'}</span>`, `${esc(s.block)} <span class="muted">${s.rows.length} layers</span>`, s.totals, 'rowgroup') + '</tr>',
        );
        if (isClosed) continue;
      }
      for (const { row, index } of rows) {
        const sel = app.selected === row.name ? ' class="selected"' : '';
        body.push(`<tr data-layer="${esc(row.name)}"${sel}>${cols.map((c) => `<td class="col-${c.key}${c.numeric ? ' num' : ''}">${esc(c.text(row, index))}</td>`).join('')}</tr>`);
      }
    }
    const foot = `<tr>${summaryCells('', `Total (${a.layers.length} layers)`, footerTotals(a), 'row', true)}</tr>`;
    table.innerHTML = `<thead><tr>${head}</tr></thead><tbody>${body.join('')}</tbody><tfoot>${foot}</tfoot>`;
  };

  let dirty = true;
  app.listen((changes) => {
    if (changes.has('analysis')) dirty = true;
    if (changes.has('model')) closed.clear();
    const visible = app.state.view === 'table';
    if (visible && (dirty || changes.has('view'))) {
      dirty = false;
      render();
    } else if (visible && changes.has('selection')) {
      table.querySelector('tr.selected')?.classList.remove('selected');
      const row = app.selected ? table.querySelector(`tr[data-layer="${CSS.escape(app.selected)}"]`) : null;
      row?.classList.add('selected');
    }
  });
  table.addEventListener('keydown', (e) => {
    const th = (e.target as Element).closest('th[data-sort]');
    if (th && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      (th as HTMLElement).click();
    }
  });
}
