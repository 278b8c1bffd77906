/**
 * A training worker (see parallel.ts): a model replica on its own single-threaded wasm backend.
 * For each slice it loads the published master weights, computes the slice's gradients and its
 * updated BatchNorm statistics into its shared vector, and replies with the loss and hits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backend.js';
import { compileGraph } from './compile.js';
import { batchGradients, trainingState } from './gradients.js';
import { flatten } from './optimizers.js';
import type { StepRequest, WorkerInit, WorkerReply } from './parallel.js';
import { resolveGraph } from '../../graph/graph.js';

const init = workerData as WorkerInit;
const port = parentPort!;
const reply = (m: WorkerReply) => port.postMessage(m);

try {
  await initBackend({ backend: init.backend, threads: 1 });
  const { model } = compileGraph(resolveGraph(init.spec), { initialize: false });
  const byName = new Map(model.weights.map((w) => [w.originalName, w]));
  tf.tidy(() => {
    for (const w of init.weights) byName.get(w.name)!.write(tf.tensor(w.values, w.shape));
  });
  const shared = init.slots.map((s) => byName.get(s.name)!);
  const trainable = shared.slice(0, init.trainableCount).map((w) => w.read() as tf.Variable);
  const state = trainingState(model);
  const published = new Float32Array(init.published);
  const gradients = new Float32Array(init.gradients);
  const stateOffset = init.slots[init.trainableCount]?.offset ?? gradients.length;

  port.on('message', (m: StepRequest) => {
    try {
      tf.tidy(() => {
        init.slots.forEach((s, i) => shared[i]!.write(tf.tensor(published.subarray(s.offset, s.offset + tf.util.sizeFromShape(s.shape)), s.shape)));
      });
      const { loss, correct } = tf.tidy(() => {
        const g = batchGradients(model, trainable, m.batch, init.classes, init.fromProbs, m.dropoutSeed);
        if (Number.isFinite(g.loss)) {
          gradients.set(flatten(g.grads).dataSync());
          if (state.length) gradients.set(flatten(state.map((s) => s.read())).dataSync(), stateOffset);
        }
        return { loss: g.loss, correct: g.correct };
      });
      reply({ kind: 'done', loss, correct });
    } catch (e) {
      reply({ kind: 'error', message: (e as Error).message });
    }
  });
  reply({ kind: 'ready' });
} catch (e) {
  reply({ kind: 'error', message: (e as Error).message });
}
