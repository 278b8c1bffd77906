/** The PyTorch engine: graph → generated nn.Module source, data as .npy, training under torchrun, results as convlab trained directories. */
export { generateTorchModule, type MappedWeight, type TorchModule } from './codegen.js';
export { TORCH_LOWERINGS, activate, type TorchArgs, type TorchLowered, type TorchLowering } from './lowering.js';
export { trainTorch, TORCH_CHECKPOINT, TORCH_LOG, RUN_DIR, type TorchTrainOptions, type TorchTrainResult, type TorchStart } from './train.js';
export { findTorchPython, probePython, PYTHON_CANDIDATES, type TorchPython } from './interpreter.js';
export { launch, torchrunArgs, freePort, type Cluster, type TorchEvent } from './launch.js';
export { prepareData, type PreparedData, type DataRequest } from './data.js';
export { readNpy, writeNpy, npyHeader, type NpyArray, type NpyDtype } from './npy.js';
export { writeTorchWeights, readTorchWeights } from './weights.js';
export { toTorch, toKeras, transpose } from './layout.js';
export { saveTrainedDirectory } from './save.js';

