/**
 * The view tabs, as the ARIA tabs pattern has them: one tab stop (the selected tab), arrow keys,
 * Home and End move between tabs and show each, and every tab controls its panel.
 */
import type { App } from './app.js';
import { byId, h } from './dom.js';
import { VIEWS, type View } from './state.js';

const LABELS: Record<View, string> = { graph: 'Graph', table: 'Table', charts: 'Charts', compare: 'Compare', spec: 'Spec' };

/** The tab reached from `current` by a key, or null for keys the tabs do not take. */
export function tabAfterKey(current: View, key: string): View | null {
  const i = VIEWS.indexOf(current);
  const n = VIEWS.length;
  const to: Record<string, number> = { ArrowRight: (i + 1) % n, ArrowLeft: (i - 1 + n) % n, Home: 0, End: n - 1 };
  return key in to ? VIEWS[to[key]!]! : null;
}

/** Mounts the tabs into #tabs and shows the panel of the view in the state. */
export function mountTabs(app: App): void {
  const tabs = byId('tabs');
  for (const v of VIEWS) {
    tabs.append(h('button', { type: 'button', role: 'tab', id: `tab-${v}`, 'data-view': v, 'aria-controls': `view-${v}`, onclick: () => app.setView(v) }, LABELS[v]));
  }
  tabs.addEventListener('keydown', (e) => {
    const next = tabAfterKey(app.state.view, e.key);
    if (next === null) return;
    e.preventDefault();
    app.setView(next);
    byId(`tab-${next}`).focus();
  });
  const show = () => {
    for (const v of VIEWS) {
      const on = app.state.view === v;
      byId(`view-${v}`).hidden = !on;
      const tab = byId(`tab-${v}`);
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
    }
    document.body.dataset.view = app.state.view;
  };
  app.listen((changes) => {
    if (changes.has('view')) show();
  });
  show();
}
