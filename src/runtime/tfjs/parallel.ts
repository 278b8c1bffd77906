/**
 * Data-parallel training over worker threads. Each worker holds a replica of the model on its own
 * wasm backend (one thread each) and computes the gradients of its slice of every batch. The main
 * thread keeps the master weights and the optimizer: it averages the slices' gradients weighted
 * by their sample counts (in worker order, so a run is deterministic for a seed and a worker
 * count), applies one optimizer step, and publishes the new weights, which every replica loads
 * before its next slice. BatchNorm's moving statistics are averaged the same way. Weights and
 * gradients travel through shared memory; messages carry only the slices and the figures.
 */
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { RuntimeError } from '../../core/errors.js';
import type { GraphSpec } from '../../graph/types.js';
import type { BackendName } from '../../core/sets.js';
import { trainingState, type StepBatch } from './gradients.js';
import { flatten, type Optimizer, type Param } from './optimizers.js';
import { sliceBounds } from './workers.js';
import { messages } from '../../core/messages.js';

/** Where one shared variable sits in the shared vectors. */
export interface Slot {
  name: string;
  shape: number[];
  offset: number;
}

/** What a worker is started with. */
export interface WorkerInit {
  index: number;
  spec: GraphSpec;
  backend: BackendName;
  classes: number;
  fromProbs: boolean;
  /** Trainable weights, then training state, as laid out in both shared vectors. */
  slots: Slot[];
  trainableCount: number;
  /** Every weight of the model by name, once: frozen layers and constants never travel again. */
  weights: Array<{ name: string; shape: number[]; values: Float32Array }>;
  /** Master weights the replica loads before each slice (float32). */
  published: SharedArrayBuffer;
  /** This worker's gradients, then its updated training state (float32). */
  gradients: SharedArrayBuffer;
}

/** A slice to compute. */
export interface StepRequest {
  batch: StepBatch;
  dropoutSeed: number;
}

/** Messages a worker sends back. */
export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'done'; loss: number; correct: number }
  | { kind: 'error'; message: string };

/** A worker and its one outstanding request. */
interface Replica {
  worker: Worker;
  gradients: Float32Array;
  pending: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void } | undefined;
  failed: Error | undefined;
}

/** Worker threads holding model replicas, driven by the main thread's optimizer. */
export class DataParallel {
  private stopped = false;

  private constructor(
    private readonly replicas: Replica[],
    private readonly params: Param[],
    private readonly state: tf.LayerVariable[],
    private readonly published: Float32Array,
    private readonly average: Float32Array,
  ) {}

  /** Starts `workers` replicas of `model` (spec and current weights) and waits until each is ready. */
  static async start(o: { spec: GraphSpec; model: tf.LayersModel; params: Param[]; workers: number; backend: BackendName; classes: number; fromProbs: boolean }): Promise<DataParallel> {
    const state = trainingState(o.model);
    const slots: Slot[] = [];
    let size = 0;
    for (const v of [...o.params.map((p) => ({ name: p.name, shape: p.variable.shape })), ...state.map((s) => ({ name: s.originalName, shape: s.shape as number[] }))]) {
      slots.push({ name: v.name, shape: [...v.shape], offset: size });
      size += v.shape.reduce((a, b) => a * b, 1);
    }
    const published = new SharedArrayBuffer(size * 4);
    const weights = o.model.weights.map((w) => ({ name: w.originalName, shape: [...w.shape] as number[], values: w.read().dataSync() as Float32Array }));
    const replicas: Replica[] = [];
    const pool = new DataParallel(replicas, o.params, state, new Float32Array(published), new Float32Array(size));
    pool.publish();
    for (let index = 0; index < o.workers; index++) {
      const gradients = new SharedArrayBuffer(size * 4);
      const init: WorkerInit = {
        index, spec: o.spec, backend: o.backend, classes: o.classes, fromProbs: o.fromProbs, slots, trainableCount: o.params.length, weights, published, gradients,
      };
      const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: init });
      const replica: Replica = { worker, gradients: new Float32Array(gradients), pending: undefined, failed: undefined };
      worker.on('message', (m: WorkerReply) => pool.settle(replica, m));
      worker.on('error', (e) => pool.fail(replica, new RuntimeError(messages.workerFailed(index, e.message))));
      worker.on('exit', (code) => pool.fail(replica, new RuntimeError(messages.workerFailed(index, `exited with code ${code}`))));
      replicas.push(replica);
    }
    try {
      await Promise.all(replicas.map((r) => pool.request(r)));
    } catch (e) {
      await pool.dispose();
      throw e;
    }
    return pool;
  }

  /**
   * One step over the batch: slices computed in parallel, gradients averaged, the optimizer's
   * update applied and published. Returns the batch's mean loss (NaN, with nothing applied, when
   * any slice's is not finite) and its correct predictions.
   */
  async step(batch: StepBatch, lr: number, dropoutSeed: number, optimizer: Optimizer): Promise<[number, number]> {
    const bounds = sliceBounds(batch.count, this.replicas.length);
    const size = batch.shape.reduce((a, b) => a * b, 1);
    const busy = this.replicas.map((r, k) => ({ r, start: bounds[k]!, count: bounds[k + 1]! - bounds[k]! })).filter((s) => s.count > 0);
    const replies = await Promise.all(busy.map(({ r, start, count }, k) => {
      const images = batch.images.slice(start * size, (start + count) * size);
      const labels = batch.labels.slice(start, start + count);
      // Each slice draws its own dropout masks; slice 0 draws what a single replica would.
      const request: StepRequest = { batch: { images, labels, shape: [...batch.shape], count }, dropoutSeed: (dropoutSeed + Math.imul(k, 0x9e3779b9)) >>> 0 };
      return this.request(r, request, [images.buffer as ArrayBuffer, labels.buffer as ArrayBuffer]);
    }));
    let loss = 0;
    let correct = 0;
    replies.forEach((m, k) => {
      if (m.kind !== 'done') return;
      loss += (m.loss * busy[k]!.count) / batch.count;
      correct += m.correct;
    });
    if (!Number.isFinite(loss)) return [NaN, correct];
    this.reduce(busy.map((s) => ({ values: s.r.gradients, weight: s.count / batch.count })));
    tf.tidy(() => {
      const trainable = this.params.reduce((s, p) => s + p.variable.size, 0);
      optimizer.applyFlat(this.params, tf.tensor1d(this.average.subarray(0, trainable)), lr);
      let at = trainable;
      for (const v of this.state) {
        const n = v.shape.reduce((a: number, b) => a * b!, 1);
        v.write(tf.tensor(this.average.subarray(at, at + n), v.shape as number[]));
        at += n;
      }
    });
    this.publish();
    return [loss, correct];
  }

  /** Stops every worker. */
  async dispose(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.replicas.map((r) => r.worker.terminate()));
  }

  /** average = Σ weight_k · values_k, in replica order (deterministic), accumulated in double precision. */
  private reduce(parts: Array<{ values: Float32Array; weight: number }>): void {
    const out = this.average;
    const [first, ...rest] = parts;
    for (let i = 0; i < out.length; i++) {
      let s = first!.values[i]! * first!.weight;
      for (const p of rest) s += p.values[i]! * p.weight;
      out[i] = s;
    }
  }

  /** Writes the master's trainable weights and training state to the shared vector the replicas read. */
  private publish(): void {
    // The tidy returns the tensor, not its values: tidy walks whatever it returns, element by element.
    const flat = tf.tidy(() => flatten([...this.params.map((p) => p.variable), ...this.state.map((s) => s.read())]));
    this.published.set(flat.dataSync());
    flat.dispose();
  }

  /** Sends a request (none: wait for the start-up reply) and resolves with the worker's reply. */
  private request(r: Replica, message?: StepRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (r.failed) return Promise.reject(r.failed);
    return new Promise((resolve, reject) => {
      r.pending = { resolve, reject };
      if (message) r.worker.postMessage(message, transfer);
    }).then((m) => {
      const reply = m as WorkerReply;
      if (reply.kind === 'error') throw new RuntimeError(messages.workerFailed(this.replicas.indexOf(r), reply.message));
      return reply;
    });
  }

  private settle(r: Replica, m: WorkerReply): void {
    const p = r.pending;
    r.pending = undefined;
    p?.resolve(m);
  }

  private fail(r: Replica, e: Error): void {
    if (r.failed || this.stopped) return;
    r.failed = e;
    const p = r.pending;
    r.pending = undefined;
    p?.reject(e);
  }
}
