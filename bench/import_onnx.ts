/**
 * ONNX import speed: synthetic residual chains of 2,500 to 20,000 ONNX nodes (so linear scaling
 * shows as a flat per-node figure), then zoo models exported with their weights, imported with
 * and without reading them.
 */
import { importOnnx } from '../src/import/onnx/import.js';
import { exportOnnx } from '../src/runtime/onnx/export.js';
import { attr, encodeModel, floatTensor, tensorInfo, type NodeProto, type TensorProto } from '../src/onnx/proto.js';
import { getModel } from '../src/zoo/index.js';
import { best } from './timing.js';
import { resolveGraph } from '../src/graph/graph.js';

/** Conv → BatchNormalization → Relu → Add blocks on an 8×8 map with 8 channels: `blocks` × 4 nodes. */
function chain(blocks: number): Uint8Array {
  const nodes: NodeProto[] = [];
  const inits: TensorProto[] = [];
  const c = 8;
  let prev = 'x';
  for (let i = 0; i < blocks; i++) {
    inits.push(floatTensor(`w${i}`, [c, c, 3, 3], new Float32Array(c * c * 9)));
    for (const k of ['s', 'b', 'm', 'v']) inits.push(floatTensor(`${k}${i}`, [c], new Float32Array(c).fill(1)));
    nodes.push({ name: `conv${i}`, opType: 'Conv', input: [prev, `w${i}`], output: [`c${i}`], attribute: [attr.ints('pads', [1, 1, 1, 1])] });
    nodes.push({ name: `bn${i}`, opType: 'BatchNormalization', input: [`c${i}`, `s${i}`, `b${i}`, `m${i}`, `v${i}`], output: [`n${i}`] });
    nodes.push({ name: `relu${i}`, opType: 'Relu', input: [`n${i}`], output: [`r${i}`] });
    nodes.push({ name: `add${i}`, opType: 'Add', input: [`r${i}`, prev], output: [`a${i}`] });
    prev = `a${i}`;
  }
  return encodeModel({
    irVersion: 7, opsetImport: [{ domain: '', version: 13 }],
    graph: { name: 'chain', node: nodes, initializer: inits, input: [tensorInfo('x', [1, c, 8, 8])], output: [tensorInfo(prev, [1, c, 8, 8])] },
  });
}


console.log('| ONNX nodes | import (ms) | µs per node |');
console.log('|---:|---:|---:|');
for (const blocks of [625, 1_250, 2_500, 5_000]) {
  const bytes = chain(blocks);
  const t = best(() => importOnnx(bytes, { weights: true }));
  console.log(`| ${(blocks * 4).toLocaleString('en-US')} | ${t.toFixed(1)} | ${((t / (blocks * 4)) * 1000).toFixed(2)} |`);
}

console.log('\n| model | file (MB) | import, structure (ms) | import with weights (ms) |');
console.log('|---|---:|---:|---:|');
for (const id of ['lenet5', 'mobilenet_v2', 'resnet50', 'efficientnet_b0']) {
  const bytes = exportOnnx(resolveGraph(getModel(id, {})), { seed: 0 });
  const structure = best(() => importOnnx(bytes), 3);
  const withWeights = best(() => importOnnx(bytes, { weights: true }), 3);
  console.log(`| ${id} | ${(bytes.length / 2 ** 20).toFixed(1)} | ${structure.toFixed(1)} | ${withWeights.toFixed(1)} |`);
}
