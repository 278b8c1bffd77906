/** The TensorFlow.js runtime: graph → tf.LayersModel, the wasm backend and its kernels, training and evaluation. */
export { initBackend, backendInfo, defaultThreads, type BackendInfo, type BackendOptions } from './backend.js';
export { registerWasmKernels, WASM_GRADIENT_KERNELS, WASM_REPLACEMENT_KERNELS } from './kernels/index.js';
export { compileGraph, type CompileOptions, type Compiled } from './compile.js';
export { LOWERINGS, type Lowering, type LowerContext } from './lowering.js';
export { CUSTOM_LAYERS, registerCustomLayers } from './layers/index.js';
export { train, CHECKPOINT_FILE, LOG_FILE, type TrainOptions, type TrainResult, type EpochRecord, type Progress } from './train.js';
export { learningRate, type ScheduleConfig } from './schedule.js';
export { AUGMENTATIONS, BACKENDS, OPTIMIZERS, SCHEDULES, type AugmentationName, type BackendName, type Optimizer as OptimizerName, type ScheduleName } from '../../core/sets.js';
export { loadTrainingData, loadEvalData, type TrainingData, type Preprocessing } from './data.js';
export { evaluation, predictScores, topK } from './metrics.js';
export { fileSystem, saveModelDir, readWeights, loadWeightsInto } from './io.js';
export { readModelInfo, readModelFiles, readTrainedDirectory, MODEL_JSON, WEIGHTS_BIN, SPEC_JSON, type TrainedMeta, type TrainedDirectory } from '../../import/trained.js';
export { loadTrainedModel, modelWithWeights, type TrainedModel } from './trained.js';
export { freezeBase, headNodes } from './transfer.js';
export { trainAndTest, recipeText, type Recipe, type TrainedScore } from './pair.js';
export { readCheckpoint } from './checkpoint.js';
