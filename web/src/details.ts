/**
 * The details panel: everything the library knows about the selected layer (attributes, shapes,
 * weights, params / MACs / FLOPs with their formulas, memory, receptive field) or block.
 */
import { contextOf, DTYPE_BYTES, type LayerRow } from '../../src/analysis/index.js';
import type { Explained } from '../../src/ops/formula.js';
import type { AttrDef } from '../../src/ops/types.js';
import { opsSummary } from '../../src/report/group.js';
import { bytes, human, int, shape } from '../../src/report/units.js';
import type { App, Ready } from './app.js';
import { collapsedAncestor, subtreeOf } from './blocks.js';
import { byId, h } from './dom.js';
import { framesToReveal } from './graph_model.js';

const attrText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
const pairText = (p: readonly [number, number]) => (p[0] === p[1] ? `${p[0]}` : `${p[0]}×${p[1]}`);

/** A metric with its formula: the value, the symbolic rule and the substituted numbers. */
function formulaRow(label: string, e: Explained, unit: (x: number) => string = int) {
  const zero = e.value === 0 && e.formula === '0';
  return h('div', { class: 'metric', 'data-metric': label },
    h('div', { class: 'metric-head' }, h('span', {}, label), h('strong', {}, unit(e.value))),
    zero ? null : h('code', { class: 'formula' }, e.formula),
    zero || e.text === e.formula ? null : h('code', { class: 'formula subst' }, e.text),
  );
}

/** Mounts the details panel into #details. */
export function mountDetails(app: App): void {
  const panel = byId('details');

  const link = (name: string, label = name) =>
    h('button', { type: 'button', class: 'link', onclick: () => reveal(name) }, label);

  const reveal = (name: string) => {
    const r = app.ready;
    if (!r) return;
    const open = new Set(app.expanded);
    framesToReveal(r.tree, name).forEach((b) => open.add(b));
    app.selected = name;
    app.setExpanded(open);
    app.select(name);
  };

  /** "Show in the graph" from other views; "open it" in the graph while a closed block hides the layer. */
  const revealButton = (name: string): HTMLElement | null => {
    const r = app.ready!;
    const hidden = collapsedAncestor(r.tree, name, app.expanded) !== null;
    if (app.state.view === 'graph' && !hidden) return null;
    const label = app.state.view === 'graph' ? 'open it' : 'show in the graph';
    return h('button', { type: 'button', class: 'link', onclick: () => (reveal(name), app.setView('graph')) }, label);
  };

  const close = h('button', { type: 'button', class: 'close', 'aria-label': 'Close details', onclick: () => app.select(null) }, '×');

  const layerPanel = (r: Ready, row: LayerRow): HTMLElement[] => {
    const a = r.analysis;
    const rows = new Map(a.layers.map((l) => [l.name, l]));
    const node = r.graph.nodes.find((n) => n.name === row.name);
    const users = a.layers.filter((l) => l.inputs.includes(row.name));
    const def = node ? node.def : null;
    const schema = (def?.attrs ?? {}) as Record<string, AttrDef>;
    const rf = row.receptiveField;
    const weights = node ? node.def.weights(contextOf(node)) : [];
    const block = r.tree.blockOf.get(row.name);
    const out: HTMLElement[] = [
      h('h2', {}, h('span', { class: 'name' }, row.name), ' ', h('span', { class: 'op' }, row.op)),
      def ? h('p', { class: 'doc' }, def.doc) : h('p', { class: 'doc' }, 'Graph input'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Inputs'), h('dd', {}, ...(row.inputs.length ? row.inputs.flatMap((i) => [link(i), h('span', { class: 'muted' }, ` ${shape(rows.get(i)?.outputShape ?? [])} `)]) : ['—'])),
        h('dt', {}, 'Output'), h('dd', { 'data-field': 'output' }, shape(row.outputShape)),
        h('dt', {}, 'Used by'), h('dd', {}, ...(users.length ? users.map((u) => link(u.name)) : [r.graph.outputs.includes(row.name) ? 'graph output' : '—'])),
        ...(block === undefined ? [] : [h('dt', {}, 'Block'), h('dd', {}, `${block} `, revealButton(row.name))]),
      ),
    ];
    const attrs = Object.entries(row.attrs).filter(([k, v]) => !(k === 'trainable' && v === true));
    if (attrs.length) {
      out.push(h('h3', {}, 'Attributes'), h('table', { class: 'attrs' },
        ...attrs.map(([k, v]) => h('tr', { title: schema[k]?.doc ?? '' }, h('th', {}, k), h('td', {}, attrText(v))))));
    }
    if (weights.length) {
      out.push(h('h3', {}, 'Weights'), h('table', { class: 'attrs' },
        ...weights.map((w) => h('tr', {},
          h('th', {}, w.name),
          h('td', {}, w.dims.map(([, d]) => d).join('×') || '1', h('span', { class: 'muted' }, ` ${w.dims.map(([n]) => n).join('·')}`)),
          h('td', { class: 'muted' }, w.trainable ? 'trainable' : 'non-trainable')))));
    }
    const flopsLabel = a.convention === 'macs' ? 'FLOPs (= MACs)' : `FLOPs (${a.convention})`;
    const tail: Array<HTMLElement | null> = [
      h('h3', {}, 'Cost'),
      formulaRow('Params', row.explain.params),
      row.nonTrainableParams > 0 ? h('p', { class: 'muted' }, `${int(row.trainableParams)} trainable, ${int(row.nonTrainableParams)} non-trainable (${a.paramsConvention} convention)`) : null,
      formulaRow('MACs', row.explain.macs),
      formulaRow(flopsLabel, row.explain.flops),
      h('div', { class: 'metric' },
        h('div', { class: 'metric-head' }, h('span', {}, 'Output memory'), h('strong', {}, bytes(row.activationBytes))),
        h('code', { class: 'formula' }, `${row.outputShape.join('·')}·${DTYPE_BYTES[a.dtype]} B (${a.dtype})${row.aliasesInput ? ', a view of its input: no new buffer' : ''}`),
      ),
      h('h3', {}, 'Receptive field'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Size'), h('dd', { 'data-field': 'rf' }, pairText(rf.size)),
        h('dt', {}, 'Jump'), h('dd', {}, pairText(rf.jump), h('span', { class: 'muted' }, ' input pixels between neighbouring outputs')),
        h('dt', {}, 'Start'), h('dd', {}, pairText(rf.start), h('span', { class: 'muted' }, ' centre of the first output’s field')),
      ),
      rf.disagree ? h('p', { class: 'note' }, 'Branches with different receptive fields meet on the way here; the largest is shown.') : null,
    ];
    out.push(...tail.filter((x): x is HTMLElement => x !== null));
    return out;
  };

  const blockPanel = (r: Ready, id: string): HTMLElement[] => {
    const b = r.tree.blocks.get(id)!;
    const rows = r.analysis.layers.filter((l) => b.layers.includes(l.name));
    const last = rows[rows.length - 1]!;
    const ops: Record<string, number> = {};
    for (const l of rows) ops[l.op] = (ops[l.op] ?? 0) + 1;
    const sum = (f: (l: LayerRow) => number) => rows.reduce((s, l) => s + f(l), 0);
    const open = app.expanded.has(id);
    return [
      h('h2', {}, h('span', { class: 'name' }, id), ' ', h('span', { class: 'op' }, 'block')),
      h('p', { class: 'doc' }, `${rows.length} layers: ${opsSummary(ops)}`),
      h('div', { class: 'row' },
        h('button', { type: 'button', onclick: () => {
          const next = new Set(app.expanded);
          subtreeOf(r.tree, id).forEach((x) => (open ? next.delete(x) : next.add(x)));
          app.setExpanded(next);
        } }, open ? 'Close block' : 'Open block'),
      ),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Params'), h('dd', {}, int(sum((l) => l.params))),
        h('dt', {}, 'MACs'), h('dd', {}, `${int(sum((l) => l.macs))} (${human(sum((l) => l.macs))})`),
        h('dt', {}, 'FLOPs'), h('dd', {}, `${int(sum((l) => l.flops))} (${human(sum((l) => l.flops))})`),
        h('dt', {}, 'Activations'), h('dd', {}, bytes(sum((l) => l.activationBytes))),
        h('dt', {}, 'Output'), h('dd', {}, shape(last.outputShape)),
        h('dt', {}, 'Receptive field'), h('dd', {}, `${pairText(last.receptiveField.size)} (jump ${pairText(last.receptiveField.jump)})`),
      ),
      h('h3', {}, 'Layers'),
      h('ol', { class: 'members' }, ...rows.map((l) => h('li', {}, link(l.name), h('span', { class: 'muted' }, ` ${l.op} ${human(l.macs)} MACs`)))),
    ];
  };

  const render = () => {
    const r = app.ready;
    const sel = app.selected;
    const showing = sel !== null && r !== null && (app.state.view === 'graph' || app.state.view === 'table');
    panel.hidden = !showing;
    document.body.classList.toggle('has-details', showing);
    if (!showing) return;
    let body: HTMLElement[] | null = null;
    if (sel.startsWith('B:') && r.tree.blocks.has(sel.slice(2))) body = blockPanel(r, sel.slice(2));
    else {
      const row = r.analysis.layers.find((l) => l.name === sel);
      if (row) body = layerPanel(r, row);
    }
    if (!body) {
      panel.hidden = true;
      return;
    }
    panel.replaceChildren(close, ...body);
    panel.scrollTop = 0;
  };

  app.listen((changes) => {
    if (changes.has('selection') || changes.has('analysis') || changes.has('view') || changes.has('expansion')) render();
  });
}
