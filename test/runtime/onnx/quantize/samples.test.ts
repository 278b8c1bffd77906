/** Where calibration samples come from: a data set's training split, an image folder, or noise. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { DataError, UsageError } from '../../../../src/core/errors.js';
import { calibrationSamples, randomSamples, trainedRecipe } from '../../../../src/runtime/onnx/quantize/samples.js';
import { dataDir } from '../../../helpers/paths.js';
import { messages as m } from '../../../../src/core/messages.js';

/** A width×height PNG of one gray level. */
function grayPng(width: number, height: number, level: number): Buffer {
  const png = new PNG({ width, height });
  png.data.fill(level);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  return PNG.sync.write(png);
}

describe('calibration samples', () => {
  it('a data set gives its training split, prepared with the recorded recipe', async () => {
    const recipe = { scale: 1 / 255, mean: [0.1307], std: [0.3081], fit: 'pad' as const };
    const s = await calibrationSamples('mnist', dataDir, [32, 32, 1], { preprocessing: recipe }, 8);
    assert.equal(s.label, 'mnist train, first 8');
    assert.equal(s.count, 8);
    const x = s.slice(0, 1);
    assert.equal(x.length, 32 * 32);
    // Standardized, then padded from 28 to 32 with 0 (the mean); MNIST's black border is (0 − mean) / std.
    assert.equal(x[0], 0);
    assert.ok(Math.abs(x[2 * 32 + 2]! - -0.1307 / 0.3081) < 1e-6, `border ${x[2 * 32 + 2]}`);
    assert.ok(Math.max(...x) > 2, 'digit strokes standardize above 2');
  });

  it('an image folder: PNG and JPEG files in name order, preprocessed as the model says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlab-calib-'));
    writeFileSync(join(dir, 'b.png'), grayPng(20, 10, 200));
    writeFileSync(join(dir, 'a.png'), grayPng(10, 10, 100));
    writeFileSync(join(dir, 'notes.txt'), 'not an image');
    const s = await calibrationSamples(dir, () => assert.fail('an image folder needs no data set folder'), [8, 8, 1], { preprocessing: { scale: 1 / 255 } }, 10);
    assert.equal(s.count, 2);
    assert.equal(s.label, `2 images from ${dir}`);
    assert.ok(Math.abs(s.slice(0, 1)[0]! - 100 / 255) < 1e-3, 'a.png first');
    assert.ok(Math.abs(s.slice(1, 2)[0]! - 200 / 255) < 1e-3);
  });

  it('refuses what it cannot read, naming it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'convlab-calib-empty-'));
    mkdirSync(join(empty, 'sub'));
    await assert.rejects(calibrationSamples(empty, dataDir, [8, 8, 1], {}, 4), (e: unknown) => e instanceof DataError && e.message === m.noCalibrationImages(empty));
    await assert.rejects(calibrationSamples('imagenet', dataDir, [8, 8, 1], {}, 4), (e: unknown) => e instanceof UsageError && e.message === m.badCalibrate('imagenet'));
  });

  it('noise is seeded and only a training recipe is taken as one', () => {
    assert.deepEqual(randomSamples([2, 2, 1], 3, 5).slice(0, 3), randomSamples([2, 2, 1], 3, 5).slice(0, 3));
    assert.equal(trainedRecipe({ mode: 'caffe' }), undefined);
    assert.deepEqual(trainedRecipe({ scale: 1, mean: null, std: null, fit: 'resize' }), { scale: 1, mean: null, std: null, fit: 'resize' });
  });
});
