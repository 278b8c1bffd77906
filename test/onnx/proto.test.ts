/** The ONNX protobuf layer: the official schema, round trips, tensors, attributes, and refusals of bad bytes. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DataError } from '../../src/core/errors.js';
import { ONNX_DESCRIPTOR } from '../../src/onnx/descriptor.js';
import { descriptorFromProto } from '../../scripts/gen_descriptor.js';
import {
  attr, AttributeType, DataType, decodeModel, encodeModel, outlineModel, floatTensor, infoDims, int64Tensor, metadataOf, readAttr, tensorInfo,
  tensorToFloat32, type ModelProto,
} from '../../src/onnx/proto.js';
import { repoRoot } from '../helpers/paths.js';
import { messages } from '../../src/core/messages.js';

const PROTO = join(repoRoot(), 'src', 'onnx', 'onnx.proto');

function tinyModel(): ModelProto {
  return {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'test',
    graph: {
      name: 'g',
      node: [{ name: 'soft', opType: 'Softmax', input: ['x'], output: ['y'], attribute: [attr.int('axis', -1), attr.floats('f', [0.5, 2]), attr.string('s', 'héllo')] }],
      initializer: [floatTensor('w', [2, 3], Float32Array.of(1, -2, 3.5, 0, 1e-8, -7)), int64Tensor('shape', [3], [0, -1, 12])],
      input: [tensorInfo('x', ['N', 4])],
      output: [tensorInfo('y', ['N', 4])],
    },
    metadataProps: [{ key: 'k', value: 'v' }],
  };
}

describe('onnx.proto', () => {
  it('is the official file with its licence header', () => {
    const text = readFileSync(PROTO, 'utf8');
    assert.match(text, /^\/\/ SPDX-License-Identifier: Apache-2\.0$/m);
    assert.match(text, /^package onnx;$/m);
    for (const m of ['ModelProto', 'GraphProto', 'NodeProto', 'TensorProto', 'AttributeProto', 'FunctionProto']) assert.match(text, new RegExp(`^message ${m} \\{`, 'm'));
  });

  it('the committed descriptor is exactly what gen_descriptor makes from it', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(ONNX_DESCRIPTOR)), JSON.parse(JSON.stringify(descriptorFromProto(readFileSync(PROTO, 'utf8')))));
  });

  it('enum codes come from the schema (TensorProto.DataType, AttributeType)', () => {
    assert.equal(DataType.FLOAT, 1);
    assert.equal(DataType.INT64, 7);
    assert.equal(AttributeType.INTS, 7);
    assert.equal(AttributeType.STRING, 3);
  });
});

describe('round trip', () => {
  const back = decodeModel(encodeModel(tinyModel()), 'tiny');

  it('keeps graph, attributes of every kind and metadata', () => {
    const node = back.graph.node[0]!;
    assert.equal(node.opType, 'Softmax');
    assert.equal(readAttr(node, 'axis'), -1);
    assert.deepEqual(readAttr(node, 'f'), [0.5, 2]);
    assert.equal(readAttr(node, 's'), 'héllo');
    assert.equal(readAttr(node, 'missing'), undefined);
    assert.deepEqual(metadataOf(back), { k: 'v' });
    assert.deepEqual(infoDims(back.graph.input[0]!), ['N', 4]);
  });

  it('keeps tensor values (float raw data, negative int64)', () => {
    const [w, shape] = back.graph.initializer;
    assert.deepEqual(Array.from(tensorToFloat32(w!)), Array.from(Float32Array.of(1, -2, 3.5, 0, 1e-8, -7)));
    assert.deepEqual(Array.from(tensorToFloat32(shape!)), [0, -1, 12]);
    assert.deepEqual(w!.dims, [2, 3]);
  });

  it('reads typed fields as well as raw data', () => {
    assert.deepEqual(Array.from(tensorToFloat32({ name: 'f', dims: [2], dataType: DataType.FLOAT, floatData: [1.5, -3] })), [1.5, -3]);
    assert.deepEqual(Array.from(tensorToFloat32({ name: 'i', dims: [3], dataType: DataType.INT64, int64Data: [4, 5, -6] })), [4, 5, -6]);
  });
});

describe('outlineModel: node names and metadata without decoding tensors', () => {
  const fixtures = join(repoRoot(), 'test', 'fixtures', 'onnx');
  for (const file of ['tiny_cnn.onnx', 'tiny_branches.onnx', 'resnet18.onnx', 'mobilenet_v3_small.onnx']) {
    it(`${file}: the same names, in order, and the same metadata as a full decode`, () => {
      const bytes = new Uint8Array(readFileSync(join(fixtures, file)));
      const model = decodeModel(bytes, file);
      const outline = outlineModel(bytes, file);
      assert.deepEqual(outline.nodeNames, model.graph.node.map((n) => n.name).filter((n): n is string => !!n));
      assert.ok(outline.nodeNames.length > 0);
      assert.deepEqual(outline.metadata, metadataOf(model));
    });
  }
  it('metadata written by convlab comes back whole', () => {
    const model = { ...tinyModel(), metadataProps: [{ key: 'convlab.meta', value: '{"a":[1,2]}' }, { key: 'b', value: 'é' }] };
    assert.deepEqual(outlineModel(encodeModel(model)).metadata, { 'convlab.meta': '{"a":[1,2]}', b: 'é' });
  });
  it('a truncated file is refused as a full decode refuses it', () => {
    const bytes = new Uint8Array(readFileSync(join(fixtures, 'tiny_cnn.onnx')));
    const cut = bytes.subarray(0, bytes.length - 3);
    assert.throws(() => outlineModel(cut, 't.onnx'), (e) => e instanceof DataError && /^t\.onnx: not a valid ONNX model: protobuf decoding failed at byte \d+ of \d+ /.test(e.message));
  });
});

describe('bad bytes and bad tensors', () => {
  const bytes = encodeModel(tinyModel());

  it('an empty file', () => {
    assert.throws(() => decodeModel(new Uint8Array(0), 'e.onnx'), (e) => e instanceof DataError && e.message === messages.emptyFile('e.onnx'));
  });

  it('a truncated file names where decoding stopped', () => {
    for (const cut of [bytes.length - 1, Math.floor(bytes.length / 2)]) {
      assert.throws(() => decodeModel(bytes.subarray(0, cut), 't.onnx'), (e) => e instanceof DataError && new RegExp(`^t\\.onnx: not a valid ONNX model: protobuf decoding failed at byte \\d+ of ${cut} `).test(e.message));
    }
  });


  it('text is not a model', () => {
    assert.throws(() => decodeModel(new TextEncoder().encode('this is not a model at all'), 'x.onnx'), (e) => e instanceof DataError && e.message.startsWith('x.onnx: '));
  });

  it('valid protobuf without a graph is refused', () => {
    const noGraph = encodeModel({ ...tinyModel(), graph: undefined as never });
    assert.throws(() => decodeModel(noGraph, 'n.onnx'), (e) => e instanceof DataError && e.message === messages.notAModel('n.onnx', 'it has no graph'));
  });

  it('external data, size mismatches and unsupported types', () => {
    assert.throws(() => tensorToFloat32({ name: 'x', dims: [1], dataType: DataType.FLOAT, dataLocation: 1 }, 'm'), (e) => e instanceof DataError && e.message === messages.externalData('m', 'x'));
    assert.throws(() => tensorToFloat32({ name: 'x', dims: [3], dataType: DataType.FLOAT, rawData: new Uint8Array(8) }, 'm'), (e) => e instanceof DataError && e.message === messages.tensorSize('m', 'x', 12, 8));
    assert.throws(() => tensorToFloat32({ name: 'x', dims: [1], dataType: DataType.STRING }, 'm'), DataError);
  });
});
