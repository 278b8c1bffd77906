/** Data types shared by readers, transforms and batching. Layout is NHWC, as in the graph. */

/** One image's [height, width, channels]. */
export type ImageShape = [number, number, number];

/** A set of `count` images of `shape`, stored contiguously as N·H·W·C floats. */
export interface ImageSet {
  images: Float32Array;
  shape: ImageShape;
  count: number;
}

/** Images with one class index per image. */
export interface LabeledSet extends ImageSet {
  labels: Uint8Array;
}

/** Which part of a data set. */
export type Split = 'train' | 'test';

/** Values per image of a shape. */
export const imageSize = (shape: readonly number[]): number => shape[0]! * shape[1]! * shape[2]!;
