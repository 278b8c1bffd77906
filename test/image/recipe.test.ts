/** What predict applies: the recorded recipe, flags laid over it, the input layout, class names. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import { normalize } from '../../src/image/preprocess.js';
import { classNamesOf, describeRecipe, inputLayout, parseNumbers, parseSize, recipeOf } from '../../src/image/recipe.js';

const trained = { dataset: 'mnist', classes: ['0', '1'], preprocessing: { scale: 1 / 255, mean: [0.13], std: [0.31], fit: 'pad' } };

describe('recipes', () => {
  it('a trained directory records scale, mean, std and fit pad', () => {
    const r = recipeOf(trained);
    assert.deepEqual(r, { prep: { scale: 1 / 255, mean: [0.13], std: [0.31] }, fit: 'pad', from: 'model' });
    assert.equal(recipeOf({ preprocessing: { ...trained.preprocessing, fit: 'resize' } }).fit, 'stretch');
  });
  it('a zoo model records its Keras mode; --preprocess replaces it whole, --mean replaces one part', () => {
    const zoo = { preprocessing: { mode: 'caffe', mean: [103.939, 116.779, 123.68] } };
    assert.equal(recipeOf(zoo).prep.mode, 'caffe');
    assert.deepEqual(recipeOf(zoo, { preprocess: 'torch' }), { prep: { mode: 'torch' }, fit: 'crop', from: 'model and flags' });
    assert.deepEqual(recipeOf(trained, { mean: [0.5] }).prep, { scale: 1 / 255, mean: [0.5], std: [0.31] });
    assert.deepEqual(recipeOf({}), { prep: {}, fit: 'crop', from: 'default' });
    assert.equal(recipeOf({}, { preprocess: 'unit', fit: 'stretch' }).from, 'flags');
  });
  it('says what it applies in one line', () => {
    assert.equal(describeRecipe(recipeOf({ preprocessing: { mode: 'caffe', mean: [1, 2, 3] } })), 'caffe: RGB→BGR, minus the ImageNet BGR means; fit crop (from model)');
    assert.equal(describeRecipe(recipeOf(trained)), 'x·0.00392156862745098, minus mean [0.13], over std [0.31]; fit pad (from model)');
    assert.equal(describeRecipe(recipeOf({}, { preprocess: 'unit', bgr: true })), 'unit: x/255, BGR; fit crop (from flags)');
  });
  it('--bgr swaps channels before scaling; unit divides by 255', () => {
    const img = { width: 1, height: 1, channels: 3, data: Float32Array.of(255, 0, 51) };
    assert.deepEqual(Array.from(normalize(img, { mode: 'unit', bgr: true })), [0.2, 0, 1].map((x) => Math.fround(x)));
  });
  it('reads the layout from the input shape', () => {
    assert.equal(inputLayout([3, 224, 224]), 'NCHW');
    assert.equal(inputLayout([224, 224, 3]), 'NHWC');
    assert.equal(inputLayout([1, 28, 28]), 'NCHW');
    assert.equal(inputLayout([28, 28, 1]), 'NHWC');
  });
  it('class names come from classNames or a trained directory\'s classes', () => {
    assert.deepEqual(classNamesOf(trained), ['0', '1']);
    assert.deepEqual(classNamesOf({ classNames: ['cat'], classes: ['x'] }), ['cat']);
    assert.equal(classNamesOf({ classes: 10 }), null);
  });
  it('checks --size and --mean', () => {
    assert.deepEqual(parseSize('160,128'), [160, 128]);
    assert.throws(() => parseSize('160'), UsageError);
    assert.deepEqual(parseNumbers('--mean', '0.5, 0.4,0.3'), [0.5, 0.4, 0.3]);
    assert.throws(() => parseNumbers('--mean', 'a'), UsageError);
  });
});
