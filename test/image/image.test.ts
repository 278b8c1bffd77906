/** Image decoding (PNG, JPEG), resizing, cropping and the preprocessing modes models declare. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataError, UsageError } from '../../src/core/errors.js';
import { decodeImage, sniffFormat } from '../../src/image/decode.js';
import { centreCrop, fitTo, imageToInput, normalize, resizeBilinear, toChannels } from '../../src/image/preprocess.js';
import type { FloatImage, RgbaImage } from '../../src/image/types.js';
import { messages } from '../../src/core/messages.js';

/** A PNG of the given size whose pixel (x, y) is (x, y, x + y, 255). */
function pngBytes(width: number, height: number, colorType: 0 | 2 | 6 = 6): Uint8Array {
  const png = new PNG({ width, height, colorType, inputColorType: 6 } as never);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) png.data.set([x, y, x + y, 255], (y * width + x) * 4);
  return PNG.sync.write(png, { colorType } as never);
}

const float = (width: number, height: number, values: number[], channels = 1): FloatImage => ({ width, height, channels, data: Float32Array.from(values) });

describe('decode', () => {
  it('PNG: pixels and size', () => {
    const img = decodeImage(pngBytes(5, 3), 'a.png');
    assert.equal(img.width, 5);
    assert.equal(img.height, 3);
    assert.deepEqual(Array.from(img.data.subarray((2 * 5 + 4) * 4, (2 * 5 + 4) * 4 + 4)), [4, 2, 6, 255]);
  });

  it('JPEG: a flat colour decodes close to itself', () => {
    const raw = { width: 16, height: 8, data: Buffer.alloc(16 * 8 * 4) };
    for (let i = 0; i < 16 * 8; i++) raw.data.set([200, 40, 90, 255], i * 4);
    const img = decodeImage(jpeg.encode(raw, 95).data, 'b.jpg');
    assert.equal(img.width, 16);
    assert.ok(Math.abs(img.data[0]! - 200) <= 3 && Math.abs(img.data[1]! - 40) <= 3 && Math.abs(img.data[2]! - 90) <= 3);
  });

  it('recognizes formats by magic bytes, not names', () => {
    assert.equal(sniffFormat(pngBytes(2, 2)), 'png');
    assert.equal(sniffFormat(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0)), 'jpeg');
    assert.equal(sniffFormat(new TextEncoder().encode('GIF89a')), null);
  });

  it('a file that is not an image', () => {
    const bytes = new TextEncoder().encode('hello, I am text');
    assert.throws(() => decodeImage(bytes, 'x.png'), (e) => e instanceof DataError && e.message === messages.notAnImage('x.png', bytes));
    assert.throws(() => decodeImage(new Uint8Array(0), 'e.png'), (e) => e instanceof DataError && e.message === messages.imageEmpty('e.png'));
  });

  it('a truncated PNG and a corrupt JPEG', () => {
    const png = pngBytes(20, 20);
    assert.throws(() => decodeImage(png.subarray(0, 40), 't.png'), (e) => e instanceof DataError && e.message === messages.imageTruncated('t.png', 'png', 40));
    assert.throws(() => decodeImage(Uint8Array.of(0xff, 0xd8, 0xff, 0x00, 0x01, 0x02), 'c.jpg'), (e) => e instanceof DataError && e.message === messages.imageTruncated('c.jpg', 'jpeg', 6));
    // Complete in length (it ends with the end-of-image marker) but corrupt inside: the decoder's own error is named, never a TypeError's text.
    const corrupt = Uint8Array.of(0xff, 0xd8, 0xff, 0x00, 0x01, 0x02, 0xff, 0xd9);
    assert.throws(() => decodeImage(corrupt, 'c.jpg'), (e) => e instanceof DataError && e.message.startsWith('c.jpg: cannot decode this JPEG image (') && !/Cannot (set|read) properties/.test(e.message));
  });
});

describe('resize and crop', () => {
  it('a constant image stays constant', () => {
    const out = resizeBilinear(float(3, 2, [7, 7, 7, 7, 7, 7]), 5, 4);
    assert.ok(out.data.every((v) => Math.abs(v - 7) < 1e-6));
  });

  it('upsampling a ramp with half-pixel centres', () => {
    // 2 → 4 pixels: source coordinates -0.25, 0.25, 0.75, 1.25 clamp to 0, 0.25, 0.75, 1.
    const out = resizeBilinear(float(2, 1, [0, 8]), 4, 1);
    assert.deepEqual(Array.from(out.data), [0, 2, 6, 8]);
  });

  it('same size is the identity', () => {
    const img = float(3, 2, [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(Array.from(resizeBilinear(img, 3, 2).data), [1, 2, 3, 4, 5, 6]);
  });

  it('centre crop and fit', () => {
    const img = float(4, 4, Array.from({ length: 16 }, (_, i) => i));
    assert.deepEqual(Array.from(centreCrop(img, 2, 2).data), [5, 6, 9, 10]);
    const wide = float(8, 4, Array.from({ length: 32 }, () => 1));
    const cropped = fitTo(wide, 2, 2, 'crop');
    assert.deepEqual([cropped.width, cropped.height], [2, 2]);
    const stretched = fitTo(wide, 3, 5, 'stretch');
    assert.deepEqual([stretched.width, stretched.height], [5, 3]);
  });
});

describe('channels and normalization', () => {
  const rgba: RgbaImage = { width: 1, height: 1, data: Uint8Array.of(255, 0, 0, 255) };

  it('gray uses ITU-R 601 luma; RGB keeps channels; other counts are refused', () => {
    assert.ok(Math.abs(toChannels(rgba, 1).data[0]! - 0.299 * 255) < 1e-3);
    assert.deepEqual(Array.from(toChannels(rgba, 3).data), [255, 0, 0]);
    assert.throws(() => toChannels(rgba, 4), (e) => e instanceof UsageError && e.message === messages.imageChannels(4));
  });

  const px = float(1, 1, [0, 127.5, 255], 3);
  const cases: Array<[string, object, number[]]> = [
    ['tf: x / 127.5 - 1', { mode: 'tf' }, [-1, 0, 1]],
    ['torch: ImageNet mean and std', { mode: 'torch' }, [(0 - 0.485) / 0.229, (0.5 - 0.456) / 0.224, (1 - 0.406) / 0.225]],
    ['caffe: BGR minus ImageNet BGR means', { mode: 'caffe' }, [255 - 103.939, 127.5 - 116.779, 0 - 123.68]],
    ['scale only', { scale: 1 / 255 }, [0, 0.5, 1]],
    ['scale, mean and std', { scale: 1 / 255, mean: [0.5], std: [0.25] }, [-2, 0, 2]],
    ['nothing', {}, [0, 127.5, 255]],
  ];
  for (const [name, prep, expected] of cases) {
    it(name, () => {
      const out = Array.from(normalize(px, prep));
      out.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-4, `${v} vs ${expected[i]}`));
    });
  }

  it('a mean of the wrong length is refused', () => {
    assert.throws(() => normalize(px, { mean: [1, 2] }), (e) => e instanceof UsageError && e.message === messages.meanLength('mean', 2, 3));
  });

  it('a whole image to a model input', () => {
    const img = decodeImage(pngBytes(40, 30), 'a.png');
    const x = imageToInput(img, [32, 32, 3], { scale: 1 / 255 });
    assert.equal(x.length, 32 * 32 * 3);
    assert.ok(x.every((v) => v >= 0 && v <= 1));
  });
});
