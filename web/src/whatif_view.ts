/**
 * The what-if panel: a toggle per design move (with its argument), and the parts the moves
 * changed. Toggling re-analyses the rewritten model: the graph redraws with the rewritten boxes
 * marked and the totals note what they were before.
 */
import { human } from '../../src/report/units.js';
import type { App } from './app.js';
import { append, byId, h } from './dom.js';
import { changedItems, toggleModels, withToggle } from './whatif_model.js';

/** Mounts the panel into the sidebar, right under the totals. */
export function mountWhatIf(app: App): void {
  const box = h('section', { class: 'panel', id: 'whatif' });
  byId('totals').after(box);

  const render = () => {
    const toggles = toggleModels(app.state.moves);
    const rows = toggles.map((t) => {
      const arg = t.arg ? h('input', { type: 'text', id: `move-${t.name}-arg`, value: t.arg.value, size: 6, 'aria-label': `${t.name} argument (${t.arg.example})` }) : null;
      const check = h('input', { type: 'checkbox', id: `move-${t.name}`, checked: t.on });
      const apply = (on: boolean) => app.setMoves(withToggle(app.state.moves, t.name, on, arg ? arg.value.trim() : null));
      check.addEventListener('change', () => apply(check.checked));
      arg?.addEventListener('change', () => {
        if (check.checked) apply(true);
      });
      return h('div', { class: 'move', title: `${t.doc}\n${t.claim}` }, h('label', { class: 'check' }, check, h('span', {}, t.name)), arg);
    });
    const w = app.ready?.whatif ?? null;
    box.replaceChildren(h('h2', {}, 'What if'));
    append(box,
      h('div', { class: 'moves' }, ...rows),
      w ? h('p', { class: 'muted' }, `${w.changed.length} part${w.changed.length === 1 ? '' : 's'} changed by ${w.moves.join(', ')}`) : null,
      w ? h('ul', { class: 'changed' }, ...changedItems(w, human).map((c) =>
        h('li', {},
          c.layer ? h('button', { type: 'button', class: 'link', onclick: () => app.select(c.layer) }, c.label) : h('span', {}, c.label),
          h('span', { class: 'muted' }, ` ${c.detail}; ${c.macs}`)))) : null,
    );
  };

  render();
  app.listen((changes) => {
    if (changes.has('moves') || changes.has('analysis') || changes.has('source')) render();
  });
}
