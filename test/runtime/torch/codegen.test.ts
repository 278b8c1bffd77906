/**
 * Every zoo model lowers to PyTorch source that Python imports and instantiates, with exactly
 * the parameters `summary --params torch` counts, and the state dict the weight table maps.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { analyze } from '../../../src/analysis/analyze.js';
import { GraphBuilder } from '../../../src/graph/builder.js';
import { resolveGraph } from '../../../src/graph/graph.js';
import { generateTorchModule, type TorchModule } from '../../../src/runtime/torch/codegen.js';
import { className, PythonNames } from '../../../src/runtime/torch/names.js';
import { getModel, listModels } from '../../../src/zoo/index.js';
import { runPython, torchPython } from './helpers.js';

/** Imports each generated file, instantiates its class without drawing weights, and reports its tensors. */
const COUNT = `
import importlib.util, json, sys
import torch
import torch.nn as nn
# Initializers are skipped: only shapes matter here, and VGG-sized models would spend seconds drawing.
for name in ("kaiming_uniform_", "uniform_", "normal_", "zeros_", "ones_"):
    setattr(nn.init, name, lambda t, *a, **k: t)
out = {}
for item in json.load(open(sys.argv[1])):
    spec = importlib.util.spec_from_file_location(item["id"], item["file"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = getattr(module, item["cls"])()
    out[item["id"]] = {
        "params": sum(p.numel() for p in model.parameters()),
        "trainable": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "tensors": {k: list(v.shape) for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")},
    }
    del model
print(json.dumps(out))
`;

const dir = mkdtempSync(join(tmpdir(), 'convlab-torch-codegen-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('PyTorch lowering of the zoo', () => {
  const generated = new Map<string, TorchModule>();
  for (const m of listModels()) generated.set(m.id, generateTorchModule(resolveGraph(getModel(m.id))));
  const list = [...generated].map(([id, g]) => {
    const file = join(dir, `${id}.py`);
    writeFileSync(file, g.source);
    return { id, file, cls: g.className };
  });
  writeFileSync(join(dir, 'list.json'), JSON.stringify(list));
  let counted: Record<string, { params: number; trainable: number; tensors: Record<string, number[]> }> = {};

  test('Python imports and builds every generated module', () => {
    counted = JSON.parse(runPython(torchPython().python, COUNT, [join(dir, 'list.json')]));
    assert.deepEqual(Object.keys(counted).sort(), [...generated.keys()].sort());
  });

  for (const m of listModels()) {
    test(`${m.id}: parameters equal summary --params torch, the state dict equals the weight table`, () => {
      const got = counted[m.id];
      assert.ok(got, 'not built');
      const totals = analyze(resolveGraph(getModel(m.id)), { params: 'torch' }).totals;
      assert.equal(got.params, totals.params);
      assert.equal(got.trainable, totals.trainableParams);
      const table = Object.fromEntries(generated.get(m.id)!.weights.map((w) => [w.name, w.weight.shape]));
      assert.deepEqual(got.tensors, table);
    });
  }
});

describe('generated source', () => {
  test('names: node names kept where Python allows, distinct, never shadowing nn.Module or the imports', () => {
    const names = new PythonNames();
    assert.equal(names.of('conv2_block1_1_conv'), 'conv2_block1_1_conv');
    assert.equal(names.of('block-1/conv'), 'block_1_conv');
    assert.equal(names.of('block_1_conv'), 'block_1_conv_2');
    assert.equal(names.of('1x1'), 'n_1x1');
    assert.equal(names.of('train'), 'train_');
    assert.equal(names.of('F'), 'F_');
    assert.equal(names.of('lambda'), 'lambda_');
    assert.equal(names.of('train'), 'train_', 'the same name twice is the same identifier');
    assert.equal(className('resnet50_v2'), 'Resnet50V2');
    assert.equal(className('3d'), 'Model3d');
  });

  test('a frozen node keeps its weights; a frozen BatchNorm stays in inference mode', () => {
    const b = new GraphBuilder('frozen');
    const x = b.input([8, 8, 3], 'input');
    let y = b.node('Conv2D', x, { filters: 4, kernelSize: 3, trainable: false }, 'conv');
    y = b.node('BatchNorm', y, { trainable: false }, 'bn');
    y = b.dense(b.flatten(y), { units: 2, name: 'head' });
    const g = generateTorchModule(resolveGraph(b.build(y)));
    assert.match(g.source, /self\.conv\.requires_grad_\(False\)/);
    assert.match(g.source, /def train\(self, mode=True\):[\s\S]*for norm in \(self\.bn,\):\n\s+norm\.eval\(\)/);
    assert.deepEqual(g.weights.filter((w) => w.trainable).map((w) => w.name), ['head.weight', 'head.bias']);
    assert.equal(g.logits, false, 'no softmax output');
  });
});
