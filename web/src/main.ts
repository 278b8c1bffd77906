/**
 * The explorer's entry point: builds the app (from a shared spec when the link carries one),
 * mounts every view, keeps the URL hash in step with the state, tells what a link could not
 * set, and marks the moment the page is interactive (`convlab:interactive`).
 */
import './style.css';
import { App } from './app.js';
import { mountChartsView } from './charts_view.js';
import { mountCompareView } from './compare_view.js';
import { mountDetails } from './details.js';
import { byId, h } from './dom.js';
import { mountGraphView } from './graph_view.js';
import { warmLayout } from './layout.js';
import { decodeSpec } from './share.js';
import { mountShare } from './share_view.js';
import { mountSidebar } from './sidebar.js';
import { mountSpecView } from './spec_view.js';
import { mountTableView } from './table_view.js';
import { toProblem, type Source } from './source.js';
import { mountTabs } from './tabs.js';
import { mountWhatIf } from './whatif_view.js';

warmLayout();

/** The spec a link carries in `spec=`, decoded; a damaged one becomes a message and the page opens as usual. */
async function sharedSource(hash: string): Promise<{ source: Extract<Source, { kind: 'text' }> | null; problem: string | null }> {
  const encoded = new URLSearchParams(hash.replace(/^#/, '')).get('spec');
  if (encoded === null) return { source: null, problem: null };
  try {
    return { source: { kind: 'text', name: 'shared spec', text: await decodeSpec(encoded), shared: encoded }, problem: null };
  } catch (e) {
    return { source: null, problem: toProblem(e).message };
  }
}

const shared = await sharedSource(location.hash);
const app = new App(location.hash, shared.source);
if (shared.problem) app.linkProblems.unshift(shared.problem);

let interactive = false;
const markInteractive = () => {
  if (interactive) return;
  interactive = true;
  performance.mark('convlab:interactive');
  document.documentElement.dataset.ready = 'true';
};

/** What the opening link (or a later one typed in) could not set, above every view until dismissed. */
const notice = byId('page-notice');
const showLinkProblems = (problems: readonly string[]) => {
  notice.hidden = problems.length === 0;
  notice.replaceChildren(
    h('button', { type: 'button', class: 'close', 'aria-label': 'Dismiss', onclick: () => (notice.hidden = true) }, '×'),
    h('ul', {}, ...problems.map((p) => h('li', {}, p))),
  );
};

mountTabs(app);
const sidebarToggle = byId('sidebar-toggle');
const setSidebar = (open: boolean) => {
  document.body.classList.toggle('sidebar-open', open);
  sidebarToggle.setAttribute('aria-expanded', String(open));
};
sidebarToggle.addEventListener('click', () => setSidebar(!document.body.classList.contains('sidebar-open')));
document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape' || e.defaultPrevented || !document.body.classList.contains('sidebar-open')) return;
  e.preventDefault();
  setSidebar(false);
  sidebarToggle.focus();
});

mountShare(app);
mountSidebar(app);
mountWhatIf(app);
mountDetails(app);
mountGraphView(app, markInteractive);
mountTableView(app);
mountChartsView(app);
mountCompareView(app);
mountSpecView(app);

let writtenHash = '';
app.listen(() => {
  const next = app.hash();
  if (next !== writtenHash) {
    writtenHash = next;
    history.replaceState(null, '', next ? `#${next}` : location.pathname + location.search);
  }
  if (app.ready === null && app.problem !== null) markInteractive();
  // While a large model is analysed between other tasks, the page says it is not done.
  document.documentElement.toggleAttribute('data-analysing', app.busy);
  byId('main').setAttribute('aria-busy', String(app.busy));
});

window.addEventListener('hashchange', () => {
  if (location.hash.replace(/^#/, '') === writtenHash) return;
  void (async () => {
    const { state: s, problems } = app.readLink(location.hash);
    const link = await sharedSource(location.hash);
    showLinkProblems(link.problem ? [link.problem, ...problems] : problems);
    app.state = { ...s, zoo: s.zoo };
    if (link.source) await app.setSource(link.source);
    else if (s.zoo && (app.source.kind !== 'zoo' || JSON.stringify(s.zoo) !== JSON.stringify(app.source.choice))) await app.setSource({ kind: 'zoo', choice: s.zoo });
    else await app.recompute();
    app.setView(s.view);
  })();
});

showLinkProblems(app.linkProblems);
await app.recompute();
performance.mark('convlab:analysed');
app.setView(app.state.view);
if (app.state.view !== 'graph') markInteractive();
