/** Image types shared by decoding (Node) and preprocessing (browser-safe). */

/** Decoded pixels: 8-bit RGBA, row-major, width·height·4 bytes. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Pixels as floats, interleaved channels, row-major. */
export interface FloatImage {
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
}

/**
 * How a model expects its input, as zoo metadata and spec.meta.preprocessing write it. The
 * Keras modes: 'caffe' = RGB→BGR then minus the ImageNet BGR means; 'tf' = x/127.5 − 1;
 * 'torch' = x/255 then ImageNet mean / std per channel; 'unit' = x/255. 'none' (or absent) =
 * x·scale, then (x − mean) / std when given. `bgr` swaps the channels to BGR first (caffe does).
 */
export interface Preprocessing {
  scale?: number;
  mean?: number[] | null;
  std?: number[] | null;
  mode?: 'caffe' | 'tf' | 'torch' | 'unit' | 'none';
  bgr?: boolean;
}
