/**
 * Runs fuzz cases for test/import/fuzz.test.ts in a worker thread, so the test can stop a case
 * that hangs. Reports each case's outcome before starting the next.
 */
import { parentPort } from 'node:worker_threads';
import { ConvlabError } from '../../src/core/errors.js';
import { importModel } from '../../src/import/index.js';
import { checkWeights } from '../../src/weights/map.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** One mutated file. */
export interface FuzzCase {
  label: string;
  bytes: Uint8Array;
  weights: boolean;
}

/** What became of a case. */
export interface FuzzOutcome {
  index: number;
  imported: boolean;
  /** Class of the error thrown, when one was. */
  error?: string;
  convlab?: boolean;
  message?: string;
  /** For an import with weights: why they do not fit the graph, if they do not. */
  weightsProblem?: string;
}

function runCase(c: FuzzCase, index: number): FuzzOutcome {
  try {
    const { spec, weights } = importModel(c.bytes, { source: c.label, weights: c.weights });
    if (weights) {
      try {
        checkWeights(resolveGraph(spec), weights);
      } catch (e) {
        return { index, imported: true, weightsProblem: (e as Error).message };
      }
    }
    return { index, imported: true };
  } catch (e) {
    const err = e as Error;
    return { index, imported: false, error: err?.constructor?.name ?? typeof e, convlab: e instanceof ConvlabError, message: String(err?.message ?? e) };
  }
}

// Loaded by the test runner as well (it runs every file under test/); only a worker has a parent port.
if (parentPort) {
  const port = parentPort;
  port.on('message', (cases: FuzzCase[]) => {
    cases.forEach((c, i) => {
      port.postMessage({ started: i });
      port.postMessage(runCase({ ...c, bytes: new Uint8Array(c.bytes) }, i));
    });
    port.postMessage({ done: true });
  });
}
