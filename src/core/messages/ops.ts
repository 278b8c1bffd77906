/** Messages of the rules of transposed convolution, resizing, splitting and adaptive pooling. */
import { show } from './text.js';

export const opMessages = {
  outputPaddingTooLarge: (axis: string, received: number, stride: number, dilation: number) =>
    `outputPadding along ${axis} must be smaller than the stride (${stride}) or the dilation (${dilation}); received ${received}`,
  transposeEmpty: (axis: string, size: number, out: number) =>
    `the padding crops the whole output along ${axis}: an input of ${size} gives ${out}`,
  resizeTarget: (scale: unknown, size: unknown) =>
    `Resize needs exactly one of scale (factors [sh, sw]) and size (output [H, W]); received scale ${show(scale)}, size ${show(size)}`,
  resizeRoi: (roi: unknown) => `tf_crop_and_resize needs roi, the crop [top, left, bottom, right] as fractions of the map; received ${show(roi)}`,
  resizeCropScale: (scale: unknown) => `tf_crop_and_resize takes size, the output [H, W], not scale; received scale ${show(scale)}`,
  resizeEmpty: (scale: readonly number[], input: readonly number[]) => `scale ${show(scale)} on a ${input[0]}×${input[1]} map leaves no rows or no columns`,
  splitIndex: (index: number, parts: number) => `index must name one of the ${parts} parts (0 to ${parts - 1}); received ${index}`,
  splitSizes: (sizes: readonly number[], channels: number) =>
    `splits must be positive sizes that add up to the ${channels} channels of the input; received ${show(sizes)}`,
};
