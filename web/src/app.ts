/**
 * The page's single source of truth: the state, the model source, the latest analysis and the
 * selection. Views read it and ask it to change; every change recomputes through the library
 * and tells the views what moved.
 */
import type { AnalyzeOptions } from '../../src/analysis/index.js';
import { resolveGraph } from '../../src/graph/graph.js';
import { whatIf, type WhatIf } from '../../src/rewrite/index.js';
import { listModels, type ModelMeta } from '../../src/zoo/index.js';
import { buildBlockTreeSteps, type BlockTree } from './blocks.js';
import { MODEL_SELECTION } from './graph_model.js';
import { defaultExpansion, withRangesSteps, type Outline } from './outline.js';
import type { Steps } from '../../src/core/steps.js';
import type { LayerRow } from '../../src/analysis/index.js';
import { sliced } from './slices.js';
import { runSteps, toProblem, type Outcome, type Problem, type Source } from './source.js';
import { closest } from '../../src/core/suggest.js';
import { pageMessages } from './messages.js';
import { formatHash, parseHash, type PageState, type View } from './state.js';

/**
 * A successful analysis with what the views derive from it once: the block tree with long levels
 * folded into ranges (`ranges` names them), and `whatif`, the model before the moves.
 */
export type Ready = Extract<Outcome, { ok: true }> & { tree: BlockTree; ranges: ReadonlySet<string>; whatif: WhatIf | null };

/** The kind of a Problem that is a refused move: the model on screen is current, only the move was not applied. */
export const REFUSED = 'refused';

/** What changed, so each view redraws only what it shows; 'model' means a different model, not just new numbers. */
export type Change = 'source' | 'model' | 'analysis' | 'problem' | 'selection' | 'expansion' | 'view' | 'style' | 'training' | 'compare' | 'moves' | 'busy';

/** The lecture's comparison, as far as the zoo has these models. */
const LECTURE_COMPARISON = ['alexnet', 'zfnet', 'vgg16', 'googlenet', 'resnet152', 'resnet50', 'mobilenet_v2', 'efficientnet_b0'];

/** The block tree of a model's layers with long levels folded into ranges, one step each. */
function* outlineSteps(layers: LayerRow[]): Steps<Outline> {
  const tree = yield* buildBlockTreeSteps(layers);
  return yield* withRangesSteps(tree);
}

/** The model opened when the URL names none: ResNet-50 when registered, else the first entry. */
function defaultModel(models: ModelMeta[]): string {
  if (models.some((m) => m.id === 'resnet50')) return 'resnet50';
  return models[0]?.id ?? 'lenet5';
}

export class App {
  readonly models: ModelMeta[] = listModels();
  readonly defaults: PageState;
  state: PageState;
  source: Source;
  /** The last analysis that succeeded; kept on screen while a later edit fails. */
  ready: Ready | null = null;
  problem: Problem | null = null;
  expanded = new Set<string>();
  /** Selected layer name, `B:<block>` for a block, or MODEL_SELECTION for the model's properties. */
  selected: string | null = null;
  /** True while an analysis runs in slices, between the browser's other tasks. */
  busy = false;
  private readonly listeners: Array<(changes: Set<Change>) => void> = [];
  private modelKey = '';
  /** Counts analyses started: only the newest one's result is used. */
  private runs = 0;

  /** Messages about values of the opening link that the page could not use. */
  linkProblems: string[] = [];

  /** Starts from a link's hash, and from the spec it carried when it carried one (decoded beforehand). */
  constructor(hash: string, shared: Extract<Source, { kind: 'text' }> | null = null) {
    const ids = this.models.map((m) => m.id);
    this.defaults = {
      zoo: { id: defaultModel(this.models) },
      view: 'graph',
      convention: 'lecture',
      params: 'keras',
      dtype: 'fp32',
      colourBy: 'macs',
      sizeBy: null,
      batch: 32,
      optimizer: 'adam',
      compare: LECTURE_COMPARISON.filter((id) => ids.includes(id)),
      moves: [],
    };
    if (this.defaults.compare.length < 2) this.defaults.compare = ids.slice(0, 4);
    const parsed = this.readLink(hash);
    this.state = parsed.state;
    this.linkProblems = parsed.problems;
    this.source = shared ?? { kind: 'zoo', choice: this.state.zoo ?? this.defaults.zoo! };
  }

  /** Reads a link's hash against the zoo: an unknown model or compared id is replaced or left out, with a message. */
  readLink(hash: string): { state: PageState; problems: string[] } {
    const ids = this.models.map((m) => m.id);
    const { state, problems } = parseHash(hash, this.defaults);
    if (state.zoo && !ids.includes(state.zoo.id)) {
      problems.unshift(pageMessages.unknownModel(state.zoo.id, closest(state.zoo.id, ids), this.defaults.zoo!.id));
      state.zoo = this.defaults.zoo;
    }
    const unknown = state.compare.filter((id) => !ids.includes(id));
    if (unknown.length) {
      problems.push(pageMessages.unknownCompareModels(unknown));
      state.compare = state.compare.filter((id) => ids.includes(id));
    }
    return { state, problems };
  }

  /** Registers a view; it hears every change from then on. */
  listen(fn: (changes: Set<Change>) => void): void {
    this.listeners.push(fn);
  }

  private emit(...changes: Change[]): void {
    const set = new Set(changes);
    for (const fn of this.listeners) fn(set);
  }

  /** Analysis settings from the state. */
  settings(): AnalyzeOptions {
    return { convention: this.state.convention, params: this.state.params, dtype: this.state.dtype };
  }

  /** The location hash for the current state. */
  hash(): string {
    const base = formatHash({ ...this.state, zoo: this.source.kind === 'zoo' ? this.source.choice : null }, this.defaults);
    // A spec opened from a link stays in the link until it is edited.
    if (this.source.kind === 'text' && this.source.shared) return `${base}${base ? '&' : ''}spec=${this.source.shared}`;
    return base;
  }

  /**
   * Re-runs the analysis from the current source, settings and moves, in slices that leave the
   * page responsive; resolves once the result is shown, or dropped because a newer run started.
   * A move the model refuses switches every move off, shows the model as it is, and reports the
   * refusal.
   */
  async recompute(): Promise<void> {
    const run = ++this.runs;
    const stale = () => run !== this.runs;
    const settings = this.settings();
    // A small model finishes within the first slice, in the task that asked for it, and is never busy.
    const onPause = () => this.setBusy(true);
    let outcome = await sliced(runSteps(this.source, settings), { stale, onPause });
    if (outcome === null) return;
    if (!outcome.ok) {
      this.setBusy(false);
      this.problem = outcome.problem;
      this.emit('problem');
      return;
    }
    this.problem = null;
    let rewritten: WhatIf | null = null;
    if (this.state.moves.length > 0) {
      try {
        rewritten = whatIf(outcome.spec, this.state.moves, settings);
        outcome = { ...outcome, spec: rewritten.spec, graph: resolveGraph(rewritten.spec), analysis: rewritten.after.analysis };
      } catch (e) {
        this.problem = { ...toProblem(e), kind: REFUSED };
        this.state.moves = [];
        this.emit('moves');
      }
    }
    // The blocks of a large graph are found in slices too.
    const outline = await sliced(outlineSteps(outcome.analysis.layers), { stale, onPause });
    if (outline === null) return;
    this.setBusy(false);
    this.show(outcome, outline, rewritten);
  }

  /** Shows a successful analysis: the block outline, what stays open and selected, and every view. */
  private show(outcome: Extract<Outcome, { ok: true }>, { tree, ranges }: Outline, rewritten: WhatIf | null): void {
    const key = this.source.kind === 'zoo' ? `zoo:${this.source.choice.id}` : `text:${outcome.spec.name}`;
    const newModel = key !== this.modelKey;
    if (newModel) {
      this.expanded = defaultExpansion(tree);
      this.selected = null;
      this.modelKey = key;
    } else {
      this.expanded = new Set([...this.expanded].filter((b) => tree.blocks.has(b)));
      const sel = this.selected;
      const stillThere = sel === null || sel === MODEL_SELECTION || (sel.startsWith('B:') ? tree.blocks.has(sel.slice(2)) : outcome.analysis.layers.some((r) => r.name === sel));
      if (!stillThere) this.selected = null;
    }
    this.ready = { ...outcome, tree, ranges, whatif: rewritten };
    this.emit(...(newModel ? (['model'] as const) : []), 'analysis', 'problem');
  }

  /** Marks an analysis running or done; views hear of it only when it changes. */
  private setBusy(busy: boolean): void {
    if (busy === this.busy) return;
    this.busy = busy;
    this.emit('busy');
  }

  /** Switches to a new source and analyses it. */
  setSource(source: Source): Promise<void> {
    const label = (x: Source) => (x.kind === 'zoo' ? `zoo:${x.choice.id}` : `text:${x.name}`);
    const changed = label(source) !== label(this.source);
    this.source = source;
    if (changed) this.emit('source');
    return this.recompute();
  }

  /** Shows a problem that is not the analysis' (a refused upload); it stays until dismissed or the next analysis. */
  report(problem: Problem | null): void {
    this.problem = problem;
    this.emit('problem');
  }

  /** Changes analysis settings (conventions, dtype) and re-analyses. */
  setSettings(patch: Partial<Pick<PageState, 'convention' | 'params' | 'dtype'>>): Promise<void> {
    Object.assign(this.state, patch);
    return this.recompute();
  }

  /** Changes how the graph draws (colour, size). */
  setStyle(patch: Partial<Pick<PageState, 'colourBy' | 'sizeBy'>>): void {
    Object.assign(this.state, patch);
    this.emit('style');
  }

  /** Changes the training-memory inputs (batch, optimizer). */
  setTraining(patch: Partial<Pick<PageState, 'batch' | 'optimizer'>>): void {
    Object.assign(this.state, patch);
    this.emit('training');
  }

  /** Applies other what-if moves; if the model refuses the new set, the previous one stays and the refusal is shown. */
  async setMoves(moves: string[]): Promise<void> {
    const previous = this.state.moves;
    this.state.moves = moves;
    await this.recompute();
    const refusal = this.problem?.kind === REFUSED ? this.problem : null;
    if (refusal && previous.length > 0) {
      this.state.moves = previous;
      await this.recompute();
      this.report(refusal);
    }
    this.emit('moves');
  }

  /** Changes the models compared. */
  setCompare(ids: string[]): void {
    this.state.compare = ids;
    this.emit('compare');
  }

  /** Shows another view. */
  setView(view: View): void {
    this.state.view = view;
    this.emit('view');
  }

  /** Selects a layer (by name) or a closed block (`B:<id>`), or clears the selection. */
  select(id: string | null): void {
    this.selected = id;
    this.emit('selection');
  }

  /** Opens or closes blocks. */
  setExpanded(expanded: Set<string>): void {
    this.expanded = expanded;
    this.emit('expansion');
  }
}
