/** Fine-tuning on cached features: the frozen base once in ONNX Runtime, the head (and then the top blocks) in TensorFlow.js. */
export { fineTune, evaluateFineTuned, HEAD_DIR, type FineTuneData, type FineTuneOptions, type FineTuneResult } from './finetune.js';
export { splitForFineTuning, parseHead, type FineTuneSplit, type HeadItem } from './split.js';
export { unfreezeTop, type Unfrozen } from './unfreeze.js';
export { defaultCacheDir, featureKey, featureFile, readFeatures, writeFeatures } from './cache.js';
