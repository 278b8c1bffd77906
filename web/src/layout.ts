/**
 * Graph layout off the main thread: ELK runs in a worker, so laying out EfficientNet-B7's
 * 800-odd boxes never freezes the page. ELK gets a time budget: past it, or when it fails (a
 * very deep graph overflows its recursion), the worker is stopped and the plain layered layout
 * of simple_layout.ts draws the graph instead. Only the newest request's result is used.
 */
import ELK from 'elkjs/lib/elk-api.js';
import type { ElkGraph } from './graph_model.js';
import { countNodes, simpleLayout } from './simple_layout.js';

let elk: InstanceType<typeof ELK> | null = null;
let latest = 0;
/** Layouts the worker has not answered yet. */
let pending = 0;

/** Most boxes handed to ELK; larger drawings go straight to the plain layout. */
export const ELK_MAX_BOXES = 1200;

/** How long ELK may take before the plain layout replaces it. */
export const ELK_BUDGET_MS = 4000;

const start = () => new ELK({ workerFactory: () => new Worker(new URL('./elk.worker.ts', import.meta.url), { type: 'module' }) });

/** Starts the worker now, so it loads its script while the page analyses the model. */
export function warmLayout(): void {
  elk ??= start();
}

/** Stops a layout that is no longer wanted (a huge one the user moved away from) by restarting the worker. */
export function cancelLayouts(): void {
  latest++;
  restart();
}

/** Stops the worker, with whatever it was doing; the next layout starts a fresh one. */
function restart(): void {
  elk?.terminateWorker();
  elk = null;
  pending = 0;
}

/** A finished layout: the graph with positions, which engine made it, and why it was not ELK. */
export interface Layout {
  graph: ElkGraph;
  engine: 'elk' | 'plain';
  /** Why the plain layout was used: too many boxes, ELK over its budget, or ELK failing. */
  fallback: 'size' | 'budget' | 'failed' | null;
}

/** Lays out `graph`; resolves null when a newer request has superseded this one. */
export async function layoutGraph(graph: ElkGraph, budgetMs = ELK_BUDGET_MS): Promise<Layout | null> {
  const ticket = ++latest;
  if (countNodes(graph) > ELK_MAX_BOXES) return { graph: simpleLayout(structuredClone(graph)), engine: 'plain', fallback: 'size' };
  // ELK answers in order: a newer drawing must not wait behind one nobody wants any more.
  if (pending > 0) restart();
  elk ??= start();
  pending++;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const overtime = new Promise<'budget'>((resolve) => (timer = setTimeout(() => resolve('budget'), budgetMs)));
  const worker = elk;
  const work = worker.layout(graph as Parameters<InstanceType<typeof ELK>['layout']>[0]).then(
    (out) => out as unknown as ElkGraph,
    () => 'failed' as const,
  ).finally(() => {
    if (worker === elk) pending--;
  });
  const outcome = await Promise.race([work, overtime]);
  clearTimeout(timer);
  if (ticket !== latest) return null;
  if (typeof outcome !== 'string') return { graph: outcome, engine: 'elk', fallback: null };
  // A worker past its budget may still be busy for seconds: a fresh one serves the next request.
  if (outcome === 'budget') restart();
  return { graph: simpleLayout(structuredClone(graph)), engine: 'plain', fallback: outcome };
}
