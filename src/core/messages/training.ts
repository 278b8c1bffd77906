/** Messages of training and evaluation with TensorFlow.js: compile, backends, checkpoints, trained model directories. */
import { asKey, show, type Spell } from './text.js';

/** Messages of training. */
export const trainingMessages = {
  cannotTrain: (op: string, why: string) => `op ${op} cannot train yet: ${why}`,
  dilatedNeedsWasm: (backend: string) => `a dilated convolution trains only on the wasm backend (its gradient kernels honour dilation); the ${backend} backend is active`,
  stridedDilated: (strides: number[], dilation: number[]) =>
    `strides ${show(strides)} together with dilation ${show(dilation)}: tfjs needs one of them to be 1`,
  lrnEvenSize: (size: number) => `LRN size ${size} is even; tfjs normalizes over a symmetric window of 2·r+1 channels`,
  multipleInputs: (count: number) => `the model has ${count} inputs; training takes models with one image input`,
  multipleOutputs: (count: number) => `the model has ${count} outputs; training takes models with one class-score output`,
  outputNotVector: (shape: number[]) => `the output has shape ${show(shape)}; training needs a vector of class scores`,
  classesMismatch: (model: number, dataset: string, classes: number, o: Spell = asKey) =>
    `the model outputs ${model} classes but ${dataset} has ${classes}; build it with ${o('classes')} ${classes}`,
  inputMismatch: (model: number[], data: number[]) => `the model takes input ${show(model)} but the data are ${show(data)} after fitting`,
  badOption: (name: string, expected: string, received: unknown, o: Spell = asKey) => `option ${o(name)} must be ${expected}; received ${show(received)}`,
  resumeNeedsOut: (o: Spell = asKey) => `${o('resume')} needs ${o('out')} DIR, the folder holding the checkpoint`,
  nanLoss: (epoch: number, batch: number, lr: number, o: Spell = asKey) =>
    `the loss became NaN at epoch ${epoch}, batch ${batch} (learning rate ${lr}); training stopped. Lower ${o('lr')}, or check the data for NaN values`,
  notModelDir: (dir: string, missing: string) => `${dir}: not a convlab model directory (missing ${missing})`,
  badModelJson: (file: string, detail: string) => `${file}: not a Keras/tfjs layers model (${detail})`,
  badCheckpoint: (file: string, detail: string, o: Spell = asKey) => `${file}: corrupt or unreadable checkpoint (${detail}); delete it or start without ${o('resume')}`,
  checkpointMismatch: (file: string, what: string, saved: unknown, now: unknown, o: Spell = asKey) =>
    `${file}: the checkpoint was made with ${what} ${show(saved)}, but this run has ${show(now)}; resume with the same settings or start a new ${o('out')}`,
  noCheckpoint: (dir: string, file: string, o: Spell = asKey) => `${dir}: no checkpoint to resume from (expected ${file}); start without ${o('resume')}, or name the run's folder with ${o('out')}`,
  alreadyDone: (dir: string, epochs: number) => `${dir}: the checkpoint has already finished all ${epochs} epochs`,
  missingWeight: (layer: string, weight: string, dir: string) => `${dir}: no weight ${show(weight)} for layer ${show(layer)}`,
  weightShape: (name: string, expected: number[], received: number[]) => `weight ${show(name)}: expected shape ${show(expected)}, found ${show(received)}`,
  noSuchLayer: (name: string, known: string[]) => `no layer ${show(name)}; layers: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}`,
  workerFailed: (index: number, detail: string) => `training worker ${index} failed: ${detail}`,
  badBackend: (received: unknown, allowed: readonly string[]) => `backend must be ${allowed.join(' or ')}; received ${show(received)}`,
} as const;
