/**
 * ONNX Resize (opset 10+) and Upsample (before it) → convlab Resize. Nearest is read as
 * ⌊o·in/out⌋, which ONNX writes as asymmetric + floor, and which half-pixel rounding equals at
 * integer factors; linear keeps its coordinate mode (half_pixel, align_corners, asymmetric).
 */
import type { AttrValue } from '../../graph/types.js';
import type { ImportContext } from './context.js';
import type { Converter } from './ops.js';
import { messages as m } from '../../core/messages.js';

const LINEAR_COORDINATES: Record<string, string> = {
  half_pixel: 'half_pixel',
  // PyTorch's half pixel differs from ONNX's only for an output of one unit, refused below.
  pytorch_half_pixel: 'half_pixel',
  align_corners: 'align_corners',
  asymmetric: 'asymmetric',
};

/** Output [H, W] and, when they are whole, the factors, from scales or sizes of a map of convlab shape [H, W, C]. */
function target(ctx: ImportContext, shape: number[], scales: Float32Array | undefined, sizes: Float32Array | undefined): { size: [number, number]; scale: [number, number] | null } {
  const [h, w, c] = shape as [number, number, number];
  if (sizes && sizes.length === 4) {
    if (sizes[1] !== c) ctx.fail(m.unsupportedInput('sizes', 'resizes the channel axis; convlab resizes height and width'));
    const size: [number, number] = [sizes[2]!, sizes[3]!];
    return { size, scale: size[0] % h === 0 && size[1] % w === 0 ? [size[0] / h, size[1] / w] : null };
  }
  if (!scales || scales.length !== 4) return ctx.fail(m.unsupportedInput('scales, sizes', 'one of them must hold 4 values (N, C, H, W)'));
  if (scales[0] !== 1 || scales[1] !== 1) ctx.fail(m.unsupportedInput('scales', `[${Array.from(scales).join(', ')}] resizes the batch or channel axis`));
  const size: [number, number] = [Math.floor(h * scales[2]!), Math.floor(w * scales[3]!)];
  const whole = Number.isInteger(scales[2]) && Number.isInteger(scales[3]);
  return { size, scale: whole ? [scales[2]!, scales[3]!] : null };
}

function convert(ctx: ImportContext, mode: string, coordinates: string, nearest: string, scales: Float32Array | undefined, sizes: Float32Array | undefined) {
  const x = ctx.tensor(0, 'input X', { layouts: ['nchw'] });
  const t = target(ctx, x.shape, scales, sizes);
  const attrs: Record<string, AttrValue> = t.scale ? { scale: t.scale } : { size: t.size };
  if (mode === 'nearest') {
    const floor = coordinates === 'asymmetric' && nearest === 'floor';
    // At whole factors, rounding a half-pixel position lands on the same unit as the floor.
    const halfPixel = ['half_pixel', 'pytorch_half_pixel'].includes(coordinates) && ['round_prefer_floor', 'round_prefer_ceil'].includes(nearest) && t.scale !== null;
    if (!floor && !halfPixel) ctx.fail(m.unsupportedAttr('coordinate_transformation_mode, nearest_mode', [coordinates, nearest], 'convlab\'s nearest takes ⌊o·in/out⌋ (asymmetric, floor; or half-pixel rounding at whole factors)'), 'attribute');
    return [ctx.emit('Resize', [x], { ...attrs, mode: 'nearest' })];
  }
  if (mode !== 'linear') ctx.fail(m.unsupportedAttr('mode', mode, 'convlab resizes by nearest or linear (bilinear)'), 'attribute');
  const c = LINEAR_COORDINATES[coordinates];
  if (!c || (coordinates === 'pytorch_half_pixel' && (t.size[0] === 1 || t.size[1] === 1))) {
    ctx.fail(m.unsupportedAttr('coordinate_transformation_mode', coordinates, 'convlab\'s bilinear takes half_pixel, align_corners or asymmetric'), 'attribute');
  }
  return [ctx.emit('Resize', [x], { ...attrs, mode: 'bilinear', coordinates: c })];
}

/** Optional float values of input `i`, when present. */
const floats = (ctx: ImportContext, i: number, role: string): Float32Array | undefined => {
  if (!ctx.optional(i)) return undefined;
  const data = ctx.constValues(i, role).data;
  return data.length > 0 ? data : undefined;
};

const Resize: Converter = (ctx) => {
  if (ctx.intAttr('antialias', 0) !== 0) ctx.fail(m.unsupportedAttr('antialias', 1, 'convlab resizes without an antialiasing filter'), 'attribute');
  if (ctx.optional(1) && ctx.o.opset >= 11 && ctx.strAttr('coordinate_transformation_mode', 'half_pixel') === 'tf_crop_and_resize') {
    ctx.fail(m.unsupportedAttr('coordinate_transformation_mode', 'tf_crop_and_resize', 'convlab resizes whole maps'), 'attribute');
  }
  const opset10 = ctx.o.opset < 11;
  const scales = floats(ctx, opset10 ? 1 : 2, 'scales');
  const sizes = opset10 ? undefined : floats(ctx, 3, 'sizes');
  const coordinates = opset10 ? 'asymmetric' : ctx.strAttr('coordinate_transformation_mode', 'half_pixel');
  const nearest = opset10 ? 'floor' : ctx.strAttr('nearest_mode', 'round_prefer_floor');
  return convert(ctx, ctx.strAttr('mode', 'nearest'), coordinates, nearest, scales, sizes);
};

/** Upsample (opset 7 to 9): scales as an attribute (7) or an input (9), asymmetric positions. */
const Upsample: Converter = (ctx) => {
  const attr = ctx.attr('scales');
  const scales = Array.isArray(attr) ? Float32Array.from(attr as number[]) : floats(ctx, 1, 'scales');
  return convert(ctx, ctx.strAttr('mode', 'nearest'), 'asymmetric', 'floor', scales, undefined);
};

/** Converters of resizing ops. */
export const RESAMPLE_OPS: Record<string, Converter> = { Resize, Upsample };
