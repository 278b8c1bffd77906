/**
 * CIFAR-style augmentation: pad each image by `padding` pixels, take a random crop of the
 * original size, and mirror it left-right with probability 1/2. Deterministic for a given
 * generator state; the input set is left unchanged.
 */
import { UsageError } from '../core/errors.js';
import type { Rng } from '../core/random.js';
import { checkImageSet } from './transforms.js';
import type { ImageSet } from './types.js';
import { messages } from '../core/messages.js';

export interface CropFlipOptions {
  /** Pixels of padding on each side before cropping (4 for CIFAR). */
  padding?: number;
  /** Mirror horizontally with probability 1/2. */
  flip?: boolean;
  /** Value of the padded pixels: 0 is black before normalization. */
  fill?: number;
}

/**
 * Random crop after padding, and random horizontal flip. Per image the generator is drawn in a
 * fixed order (row offset, column offset, flip), so the result depends only on its state.
 */
export function randomCropFlip(set: ImageSet, rng: Rng, opts: CropFlipOptions = {}): ImageSet {
  checkImageSet(set);
  const padding = opts.padding ?? 4;
  if (!Number.isInteger(padding) || padding < 0) throw new UsageError(messages.badPadding(padding));
  const flip = opts.flip ?? true;
  const fill = opts.fill ?? 0;
  const [h, w, c] = set.shape;
  const size = h * w * c;
  const x = set.images;
  const out = new Float32Array(x.length);
  for (let n = 0; n < set.count; n++) {
    const dy = rng.int(2 * padding + 1) - padding;
    const dx = rng.int(2 * padding + 1) - padding;
    const mirror = flip && rng.next() < 0.5;
    const base = n * size;
    for (let y = 0; y < h; y++) {
      const sy = y + dy;
      for (let xx = 0; xx < w; xx++) {
        const sx = (mirror ? w - 1 - xx : xx) + dx;
        const o = base + (y * w + xx) * c;
        if (sy < 0 || sy >= h || sx < 0 || sx >= w) {
          out.fill(fill, o, o + c);
        } else {
          const s = base + (sy * w + sx) * c;
          for (let k = 0; k < c; k++) out[o + k] = x[s + k]!;
        }
      }
    }
  }
  return { images: out, shape: [h, w, c], count: set.count };
}
