/** Finding layers by part of a name or op: best matches first, any case, a bounded list. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { searchLayers } from '../../web/src/search_model.js';

const layers = [
  { name: 'input', op: 'Input' },
  { name: 'conv1_conv', op: 'Conv2D' },
  { name: 'conv1_bn', op: 'BatchNorm' },
  { name: 'conv', op: 'Conv2D' },
  { name: 'pool1', op: 'MaxPool2D' },
  { name: 'block1_conv', op: 'Conv2D' },
  { name: 'fc', op: 'Dense' },
];

describe('searchLayers', () => {
  test('exact name, then names starting with the query, then names containing it, then ops', () => {
    assert.deepEqual(searchLayers(layers, 'conv').matches.map((m) => m.name), ['conv', 'conv1_conv', 'conv1_bn', 'block1_conv']);
    assert.deepEqual(searchLayers(layers, 'dense').matches.map((m) => m.name), ['fc']);
  });
  test('case and surrounding spaces do not matter', () => {
    assert.deepEqual(searchLayers(layers, '  POOL ').matches.map((m) => m.name), ['pool1']);
  });
  test('the list is bounded, the total is not', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ name: `layer${i}`, op: 'ReLU' }));
    const r = searchLayers(many, 'layer', 50);
    assert.equal(r.matches.length, 50);
    assert.equal(r.total, 500);
  });
  test('no match and an empty query give nothing', () => {
    assert.deepEqual(searchLayers(layers, 'zzz'), { matches: [], total: 0 });
    assert.deepEqual(searchLayers(layers, '  '), { matches: [], total: 0 });
  });
});
