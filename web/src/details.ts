/**
 * The details panel: everything the library knows about the selected layer (attributes, shapes,
 * weights, params / MACs / FLOPs with their formulas, memory, receptive field) or block, as
 * details_model.ts gathers it.
 */
import type { App } from './app.js';
import { byId, h, keepFocus } from './dom.js';
import { details, showsDetails, revealLabel, type BlockDetails, type FormulaRow, type LayerDetails } from './details_model.js';
import { closing, revealing } from './graph_model.js';
import { int } from '../../src/report/units.js';
import { pageMessages } from './messages.js';
import { DRAW_LIMIT, openBlock } from './outline.js';
import type { ModelProperties } from './properties_model.js';

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

  /** The control that had the focus when the panel opened: closing the panel gives it back. */
  let opener: HTMLElement | SVGElement | null = null;
  const dismiss = () => {
    const back = opener;
    const inside = panel.contains(document.activeElement) || document.activeElement === document.body;
    app.select(null);
    if (inside && back?.isConnected) back.focus({ preventScroll: true });
  };
  const close = h('button', { type: 'button', class: 'close', id: 'details-close', 'aria-label': 'Close details', onclick: dismiss }, '×');
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !panel.hidden && !e.defaultPrevented) {
      e.preventDefault();
      dismiss();
    }
  });

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

  /** Opens or closes a block from its panel; a block too large to open says so in the panel. */
  const toggleBlock = (d: BlockDetails) => {
    const r = app.ready;
    if (!r) return;
    if (d.open) return app.setExpanded(closing(r.tree, app.expanded, d.id));
    const o = openBlock(r.tree, app.expanded, d.id, DRAW_LIMIT);
    if (o.open.has(d.id)) app.setExpanded(o.open);
    else panel.querySelector('.block-note')!.textContent = pageMessages.blockTooLarge(d.id, DRAW_LIMIT);
  };

  const blockPanel = (d: BlockDetails): HTMLElement[] => ([
    h('h2', {}, h('span', { class: 'name' }, d.id), ' ', h('span', { class: 'op' }, 'block')),
    h('p', { class: 'doc' }, d.summary),
    h('div', { class: 'row' },
      h('button', { type: 'button', 'data-focus': 'toggle-block', onclick: () => toggleBlock(d) }, d.open ? 'Close block' : 'Open block'),
    ),
    h('p', { class: 'note block-note', role: 'status' }),
    h('dl', { class: 'facts' }, ...d.facts.flatMap(([label, text]) => [h('dt', {}, label), h('dd', {}, text)])),
    h('h3', {}, 'Layers'),
    h('ol', { class: 'members' }, ...d.members.map((m) => h('li', {}, link(m.name), h('span', { class: 'muted' }, m.text)))),
    d.moreMembers > 0 ? h('p', { class: 'muted' }, `… and ${int(d.moreMembers)} more: open the block, or find them in the table.`) : null,
  ] as Array<HTMLElement | null>).filter((x): x is HTMLElement => x !== null);

  const shapes = (list: ModelProperties['inputs']) =>
    h('ul', { class: 'io' }, ...list.map((x) => h('li', {}, h('span', { class: 'name' }, x.name), h('span', { class: 'muted' }, ` ${x.shape}`))));

  const modelPanel = (d: ModelProperties): HTMLElement[] => [
    h('h2', {}, h('span', { class: 'name' }, d.name), ' ', h('span', { class: 'op' }, 'model')),
    h('dl', { class: 'facts', id: 'model-facts' }, ...d.facts.flatMap(([label, text]) => [h('dt', {}, label), h('dd', { 'data-fact': label }, text)])),
    h('h3', {}, 'Inputs'), shapes(d.inputs),
    h('h3', {}, 'Outputs'), shapes(d.outputs),
  ];

  const render = () => {
    const r = app.ready;
    const sel = app.selected;
    const showing = sel !== null && r !== null && showsDetails(app.state.view);
    if (showing && panel.hidden) {
      const active = document.activeElement;
      opener = active instanceof HTMLElement || active instanceof SVGElement ? active : null;
    }
    panel.hidden = !showing;
    document.body.classList.toggle('has-details', showing);
    if (!showing) return;
    const d = details(r, sel, app.expanded, app.source);
    if (!d) {
      panel.hidden = true;
      return;
    }
    const same = shown === sel;
    keepFocus(panel, () => panel.replaceChildren(close, ...(d.kind === 'block' ? blockPanel(d) : d.kind === 'model' ? modelPanel(d) : layerPanel(d))));
    if (!same) panel.scrollTop = 0;
    shown = sel;
  };
  let shown: string | null = null;

  app.listen((changes) => {
    if (changes.has('selection') || changes.has('analysis') || changes.has('view') || changes.has('expansion')) render();
  });
}
