/**
 * The explorer's entry point: builds the app, mounts every view, keeps the URL hash in step
 * with the state, and marks the moment the page is interactive (`convlab:interactive`).
 */
import './style.css';
import { App } from './app.js';
import { mountChartsView } from './charts_view.js';
import { mountCompareView } from './compare_view.js';
import { mountDetails } from './details.js';
import { byId, h } from './dom.js';
import { mountGraphView } from './graph_view.js';
import { warmLayout } from './layout.js';
import { mountSidebar } from './sidebar.js';
import { mountSpecView } from './spec_view.js';
import { parseHash, VIEWS, type View } from './state.js';
import { mountTableView } from './table_view.js';
import { mountWhatIf } from './whatif_view.js';

const LABELS: Record<View, string> = { graph: 'Graph', table: 'Table', charts: 'Charts', compare: 'Compare', spec: 'Spec' };

warmLayout();
const app = new App(location.hash);
let interactive = false;
const markInteractive = () => {
  if (interactive) return;
  interactive = true;
  performance.mark('convlab:interactive');
  document.documentElement.dataset.ready = 'true';
};

const tabs = byId('tabs');
for (const v of VIEWS) {
  tabs.append(h('button', { type: 'button', role: 'tab', id: `tab-${v}`, 'data-view': v, 'aria-controls': `view-${v}`, onclick: () => app.setView(v) }, LABELS[v]));
}
byId('sidebar-toggle').addEventListener('click', () => {
  const open = document.body.classList.toggle('sidebar-open');
  byId('sidebar-toggle').setAttribute('aria-expanded', String(open));
});

mountSidebar(app);
mountWhatIf(app);
mountDetails(app);
mountGraphView(app, markInteractive);
mountTableView(app);
mountChartsView(app);
mountCompareView(app);
mountSpecView(app);

const showView = () => {
  for (const v of VIEWS) {
    const on = app.state.view === v;
    byId(`view-${v}`).hidden = !on;
    byId(`tab-${v}`).setAttribute('aria-selected', String(on));
  }
  document.body.dataset.view = app.state.view;
};

let writtenHash = '';
app.listen((changes) => {
  if (changes.has('view')) showView();
  const next = app.hash();
  if (next !== writtenHash) {
    writtenHash = next;
    history.replaceState(null, '', next ? `#${next}` : location.pathname + location.search);
  }
  if (app.ready === null && app.problem !== null) markInteractive();
});

window.addEventListener('hashchange', () => {
  if (location.hash.replace(/^#/, '') === writtenHash) return;
  const s = parseHash(location.hash, app.defaults);
  const modelChanged = s.zoo && (app.source.kind !== 'zoo' || JSON.stringify(s.zoo) !== JSON.stringify(app.source.choice));
  app.state = { ...s, zoo: s.zoo };
  if (modelChanged && s.zoo) app.setSource({ kind: 'zoo', choice: s.zoo });
  else app.recompute();
  app.setView(s.view);
});

showView();
app.recompute();
performance.mark('convlab:analysed');
app.setView(app.state.view);
if (app.state.view !== 'graph') markInteractive();
