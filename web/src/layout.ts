/**
 * Graph layout off the main thread: ELK runs in a worker, so laying out EfficientNet-B7's
 * 800-odd boxes never freezes the page. Only the newest request's result is used.
 */
import ELK from 'elkjs/lib/elk-api.js';
import type { ElkGraph } from './graph_model.js';

let elk: InstanceType<typeof ELK> | null = null;
let latest = 0;

const start = () => new ELK({ workerFactory: () => new Worker(new URL('./elk.worker.ts', import.meta.url), { type: 'module' }) });

/** Starts the worker now, so it loads its script while the page analyses the model. */
export function warmLayout(): void {
  elk ??= start();
}

/** Lays out `graph`; resolves null when a newer request has superseded this one. */
export async function layoutGraph(graph: ElkGraph): Promise<ElkGraph | null> {
  const ticket = ++latest;
  elk ??= start();
  const out = (await elk.layout(graph as Parameters<InstanceType<typeof ELK>['layout']>[0])) as unknown as ElkGraph;
  return ticket === latest ? out : null;
}

/** Stops a layout that is no longer wanted (a huge one the user moved away from) by restarting the worker. */
export function cancelLayouts(): void {
  latest++;
  elk?.terminateWorker();
  elk = null;
}
