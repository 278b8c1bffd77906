/** Hostile ONNX files: each gets a one-line ConvlabError, without allocating what it claims. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AttributeError, ConvlabError, DataError, SpecError, UsageError } from '../../../src/core/errors.js';
import { importModel } from '../../../src/import/index.js';
import { importOnnx } from '../../../src/import/onnx/import.js';
import { MAX_TENSOR_ELEMENTS } from '../../../src/import/onnx/values.js';
import { DataType, encodeModel, type TensorProto } from '../../../src/onnx/proto.js';
import { attr, fixture, modelOf, node, onnxOf, single, tensorInfo } from './helpers.js';

const imp = (bytes: Uint8Array, weights = false) => importOnnx(bytes, { source: 'bad.onnx', weights });

function fails(run: () => unknown, cls: new (...a: never[]) => ConvlabError, pattern: RegExp): void {
  assert.throws(run, (e: Error) => {
    assert.ok(e instanceof cls, `expected ${cls.name}; got ${e.constructor.name}: ${e.message}`);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes('\n'), 'one line');
    return true;
  });
}

/** A Relu model whose graph also declares `t` as an initializer. */
const withInitializer = (t: TensorProto) =>
  onnxOf({ nodes: [node('Relu', ['x'], ['y'])], inputs: [tensorInfo('x', [1, 2, 3, 3])], outputs: [tensorInfo('y', [])], initializers: [t] });

describe('ONNX import: hostile files', () => {
  test('an empty file', () => fails(() => imp(new Uint8Array(0)), DataError, /bad\.onnx: the file is empty/));

  test('a truncated protobuf names the byte where decoding stopped', () => {
    const whole = fixture('tiny_cnn.onnx');
    fails(() => imp(whole.subarray(0, 20_001)), DataError, /protobuf decoding failed at byte \d+ of 20001/);
  });

  test('a field with the wrong wire type', () => {
    // ir_version = 7, then field 7 (graph, a message) written as a varint.
    fails(() => imp(Uint8Array.of(0x08, 0x07, 0x38, 0x05)), DataError, /not a valid ONNX model: protobuf decoding failed at byte/);
  });

  test('an attribute of the wrong type', () => {
    fails(() => imp(single('MaxPool', [attr.floats('kernel_shape', [2.5, 2])])), AttributeError, /kernel_shape = \[2\.5,2\] is not supported: expected 2 integers/);
  });

  test('a JSON file given as ONNX', () => {
    fails(() => imp(new TextEncoder().encode('{"modelTopology": {}}')), DataError, /not a valid ONNX model/);
  });

  test('a graph with a cycle names the nodes on it', () => {
    const bytes = onnxOf({
      nodes: [node('Relu', ['x'], ['a'], [], 'first'), node('Add', ['a', 'c'], ['b'], [], 'second'), node('Relu', ['b'], ['c'], [], 'third'), node('Relu', ['b'], ['y'], [], 'last')],
      inputs: [tensorInfo('x', [1, 2, 3, 3])], outputs: [tensorInfo('y', [])],
    });
    fails(() => imp(bytes), SpecError, /bad\.onnx: the graph has a cycle through nodes "(second|third)" → "(second|third)" → "(second|third)"/);
  });

  test('a 2 GiB declared tensor is refused before anything is allocated', () => {
    const huge = { name: 'huge', dims: [2 ** 29], dataType: DataType.FLOAT, rawData: new Uint8Array(40) };
    const before = process.memoryUsage().arrayBuffers;
    fails(() => imp(withInitializer(huge)), DataError, new RegExp(`tensor "huge" declares 536870912 elements, more than the ${MAX_TENSOR_ELEMENTS} convlab reads`));
    const below = { name: 'big', dims: [2 ** 27], dataType: DataType.FLOAT, rawData: new Uint8Array(40) };
    fails(() => imp(withInitializer(below)), DataError, /tensor "big" declares 134217728 elements \(536870912 bytes of raw data\) but holds 40; the file is truncated or corrupt/);
    const none = { name: 'empty', dims: [2 ** 27], dataType: DataType.FLOAT };
    fails(() => imp(withInitializer(none)), DataError, /tensor "empty" declares 134217728 elements .* but holds 0/);
    assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 2 ** 20, 'no large buffer was allocated');
  });

  test('negative or fractional dims', () => {
    fails(() => imp(withInitializer({ name: 'neg', dims: [-4], dataType: DataType.FLOAT })), DataError, /tensor "neg" has dims \[-4\]; expected non-negative integers/);
  });

  test('data kept in an external file is refused', () => {
    const ext = { name: 'w', dims: [4], dataType: DataType.FLOAT, dataLocation: 1, externalData: [{ key: 'location', value: 'weights.bin' }] };
    fails(() => imp(withInitializer(ext)), DataError, /tensor "w" keeps its data in an external file/);
  });

  test('an unsupported tensor type', () => {
    fails(() => imp(withInitializer({ name: 's', dims: [1], dataType: DataType.STRING })), DataError, /tensor "s" has data type 8/);
  });

  test('an unknown op', () => {
    fails(() => imp(single('Mish', [])), SpecError, /node op \(Mish\) at index 0: ONNX op Mish has no convlab equivalent/);
  });

  test('an input nothing produces, two producers of one tensor, no outputs', () => {
    fails(() => imp(onnxOf({ nodes: [node('Add', ['x', 'ghost'], ['y'])], inputs: [tensorInfo('x', [1, 2, 3, 3])], outputs: [tensorInfo('y', [])] })), SpecError, /node y \(Add\) at index 0: input "ghost" is not produced/);
    fails(() => imp(onnxOf({ nodes: [node('Relu', ['x'], ['y']), node('Relu', ['x'], ['y'])], inputs: [tensorInfo('x', [1, 2, 3, 3])], outputs: [tensorInfo('y', [])] })), SpecError, /tensor "y" is written by node 0 and again by node 1/);
    fails(() => imp(onnxOf({ nodes: [node('Relu', ['x'], ['y'])], inputs: [tensorInfo('x', [1, 2, 3, 3])], outputs: [] })), SpecError, /declares no outputs/);
  });

  test('a model without the ai.onnx opset', () => {
    const m = modelOf({ nodes: [node('Relu', ['x'], ['y'])], inputs: [tensorInfo('x', [1, 2, 3, 3])], outputs: [tensorInfo('y', [])] });
    fails(() => imp(encodeModel({ ...m, opsetImport: [{ domain: 'com.example', version: 1 }] })), DataError, /the ai\.onnx opset version must be an integer/);
  });

  test('weights requested from a file exported without them', () => {
    const noValues = onnxOf({ nodes: [node('Conv', ['x', 'w'], ['y'])], inputs: [tensorInfo('x', [1, 4, 6, 6]), tensorInfo('w', [2, 4, 3, 3])], outputs: [tensorInfo('y', [])] });
    assert.equal(imp(noValues).spec.nodes[0]!.op, 'Conv2D');
    fails(() => imp(noValues, true), DataError, /carries no values for 1 weight tensor \("y\/kernel"\)/);
  });

  test('a weight without values where values decide structure', () => {
    const bytes = onnxOf({ nodes: [node('Reshape', ['x', 's'], ['y'])], inputs: [tensorInfo('x', [1, 4, 1, 1]), tensorInfo('s', [2])], outputs: [tensorInfo('y', [])] });
    fails(() => imp(bytes), SpecError, /shape "s" is a graph input without values/);
  });

  test('a Range that would build a huge constant', () => {
    const scalar = (name: string, v: number) => ({ name, dims: [], dataType: DataType.INT64, int64Data: [v] });
    const bytes = onnxOf({
      nodes: [node('Range', ['a', 'b', 'c'], ['r']), node('Reshape', ['x', 'r'], ['y'])],
      inputs: [tensorInfo('x', [1, 4, 1, 1])], outputs: [tensorInfo('y', [])], initializers: [scalar('a', 0), scalar('b', 2 ** 40), scalar('c', 1)],
    });
    fails(() => imp(bytes), SpecError, /node r \(Range\) at index 0: the constant it computes would hold 1099511627776 elements/);
  });

  test('importModel refuses a file that is neither .onnx nor model.json', () => {
    fails(() => importModel('weights.bin'), UsageError, /weights\.bin: expected an \.onnx file or a Keras/);
    fails(() => importModel('/no/such/file.onnx'), UsageError, /\/no\/such\/file\.onnx: cannot read \(ENOENT\)/);
  });
});
