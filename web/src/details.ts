/**
 * The details panel: everything the library knows about the selected layer (attributes, shapes,
 * weights, params / MACs / FLOPs with their formulas, memory, receptive field) or block, as
 * details_model.ts gathers it.
 */
import type { App } from './app.js';
import { byId, h } from './dom.js';
import { details, showsDetails, revealLabel, type BlockDetails, type FormulaRow, type LayerDetails } from './details_model.js';
import { revealing, toggled } from './graph_model.js';

/** A metric with its formula: the value, the symbolic rule and the substituted numbers. */
function metricRow(m: FormulaRow) {
  return h('div', { class: 'metric', 'data-metric': m.label },
    h('div', { class: 'metric-head' }, h('span', {}, m.label), h('strong', {}, m.value)),
    m.formula === null ? null : h('code', { class: 'formula' }, m.formula),
    m.substituted === null ? null : h('code', { class: 'formula subst' }, m.substituted),
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
    app.selected = name;
    app.setExpanded(revealing(r.tree, app.expanded, name));
    app.select(name);
  };

  const revealButton = (name: string): HTMLElement | null => {
    const label = revealLabel(app.ready!, name, app.expanded, app.state.view);
    return label === null ? null : h('button', { type: 'button', class: 'link', onclick: () => (reveal(name), app.setView('graph')) }, label);
  };

  const close = h('button', { type: 'button', class: 'close', 'aria-label': 'Close details', onclick: () => app.select(null) }, '×');

  const layerPanel = (d: LayerDetails): HTMLElement[] => {
    const out: HTMLElement[] = [
      h('h2', {}, h('span', { class: 'name' }, d.name), ' ', h('span', { class: 'op' }, d.op)),
      h('p', { class: 'doc' }, d.doc),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Inputs'), h('dd', {}, ...(d.inputs.length ? d.inputs.flatMap((i) => [link(i.name), h('span', { class: 'muted' }, ` ${i.shape} `)]) : ['—'])),
        h('dt', {}, 'Output'), h('dd', { 'data-field': 'output' }, d.output),
        h('dt', {}, 'Used by'), h('dd', {}, ...(d.users.length ? d.users.map((u) => link(u)) : [d.unused])),
        ...(d.block === null ? [] : [h('dt', {}, 'Block'), h('dd', {}, `${d.block} `, revealButton(d.name))]),
      ),
    ];
    if (d.attrs.length) {
      out.push(h('h3', {}, 'Attributes'), h('table', { class: 'attrs' },
        ...d.attrs.map((a) => h('tr', { title: a.doc }, h('th', {}, a.key), h('td', {}, a.text)))));
    }
    if (d.weights.length) {
      out.push(h('h3', {}, 'Weights'), h('table', { class: 'attrs' },
        ...d.weights.map((w) => h('tr', {},
          h('th', {}, w.name),
          h('td', {}, w.dims, h('span', { class: 'muted' }, ` ${w.symbols}`)),
          h('td', { class: 'muted' }, w.trainable ? 'trainable' : 'non-trainable')))));
    }
    const [params, macs, flops] = d.cost.map(metricRow);
    const tail: Array<HTMLElement | null | undefined> = [
      h('h3', {}, 'Cost'),
      params,
      d.trainableNote === null ? null : h('p', { class: 'muted' }, d.trainableNote),
      macs,
      flops,
      h('div', { class: 'metric' },
        h('div', { class: 'metric-head' }, h('span', {}, 'Output memory'), h('strong', {}, d.memory.value)),
        h('code', { class: 'formula' }, d.memory.formula),
      ),
      h('h3', {}, 'Receptive field'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Size'), h('dd', { 'data-field': 'rf' }, d.rf.size),
        h('dt', {}, 'Jump'), h('dd', {}, d.rf.jump, h('span', { class: 'muted' }, ' input pixels between neighbouring outputs')),
        h('dt', {}, 'Start'), h('dd', {}, d.rf.start, h('span', { class: 'muted' }, ' centre of the first output’s field')),
      ),
      d.disagree ? h('p', { class: 'note' }, 'Branches with different receptive fields meet on the way here; the largest is shown.') : null,
    ];
    out.push(...tail.filter((x): x is HTMLElement => x !== null && x !== undefined));
    return out;
  };

  const blockPanel = (d: BlockDetails): HTMLElement[] => [
    h('h2', {}, h('span', { class: 'name' }, d.id), ' ', h('span', { class: 'op' }, 'block')),
    h('p', { class: 'doc' }, d.summary),
    h('div', { class: 'row' },
      h('button', { type: 'button', onclick: () => app.ready && app.setExpanded(toggled(app.ready.tree, app.expanded, d.id, !d.open)) }, d.open ? 'Close block' : 'Open block'),
    ),
    h('dl', { class: 'facts' }, ...d.facts.flatMap(([label, text]) => [h('dt', {}, label), h('dd', {}, text)])),
    h('h3', {}, 'Layers'),
    h('ol', { class: 'members' }, ...d.members.map((m) => h('li', {}, link(m.name), h('span', { class: 'muted' }, m.text)))),
  ];

  const render = () => {
    const r = app.ready;
    const sel = app.selected;
    const showing = sel !== null && r !== null && showsDetails(app.state.view);
    panel.hidden = !showing;
    document.body.classList.toggle('has-details', showing);
    if (!showing) return;
    const d = details(r, sel, app.expanded);
    if (!d) {
      panel.hidden = true;
      return;
    }
    panel.replaceChildren(close, ...(d.kind === 'block' ? blockPanel(d) : layerPanel(d)));
    panel.scrollTop = 0;
  };

  app.listen((changes) => {
    if (changes.has('selection') || changes.has('analysis') || changes.has('view') || changes.has('expansion')) render();
  });
}
