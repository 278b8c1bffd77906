/**
 * ONNX Resize (opset 10+) and Upsample (before it) → convlab Resize, which has every sampling of
 * ONNX's 2-D Resize: nearest with any rounding, linear, cubic (A, exclude_outside), every
 * coordinate mode, fractional scales and tf_crop_and_resize with its roi. Nearest as asymmetric +
 * floor reads ⌊o·in/out⌋ (convlab's plain nearest), which half-pixel rounding equals at whole factors.
 */
import type { AttrValue } from '../../graph/types.js';
import type { ImportContext } from './context.js';
import type { Converter } from './ops.js';
import { messages as m } from '../../core/messages.js';
import { RESIZE_COORDINATES, RESIZE_ROUNDING } from '../../ops/index.js';

// Upsample before opset 7 called linear bilinear.
const MODES: Record<string, string> = { nearest: 'nearest', linear: 'bilinear', bilinear: 'bilinear', cubic: 'bicubic' };

const short = (x: number): number => Number(x.toPrecision(7));

/** The factors or the output size, from scales or sizes of a map of convlab shape [H, W, C]. */
function target(ctx: ImportContext, shape: number[], scales: Float32Array | undefined, sizes: Float32Array | undefined): { scale: [number, number] } | { size: [number, number] } {
  const c = shape[2]!;
  if (sizes && sizes.length === 4) {
    if (sizes[1] !== c) ctx.fail(m.unsupportedInput('sizes', 'resizes the channel axis; convlab resizes height and width'));
    if (!(sizes[2]! >= 1 && sizes[3]! >= 1)) ctx.fail(m.unsupportedInput('sizes', `[${Array.from(sizes).join(', ')}] leaves no rows or no columns`));
    return { size: [sizes[2]!, sizes[3]!] };
  }
  if (!scales || scales.length !== 4) return ctx.fail(m.unsupportedInput('scales, sizes', 'one of them must hold 4 values (N, C, H, W)'));
  if (scales[0] !== 1 || scales[1] !== 1) ctx.fail(m.unsupportedInput('scales', `[${Array.from(scales, short).join(', ')}] resizes the batch or channel axis`));
  if (!(scales[2]! > 0 && scales[3]! > 0)) ctx.fail(m.unsupportedInput('scales', `[${Array.from(scales, short).join(', ')}] must be positive`));
  return { scale: [scales[2]!, scales[3]!] };
}

/** The crop [top, left, bottom, right] of a tf_crop_and_resize roi (starts then ends of N, C, H, W). */
function crop(ctx: ImportContext, roi: Float32Array | undefined): [number, number, number, number] {
  if (!roi || roi.length !== 8) return ctx.fail(m.unsupportedInput('roi', 'tf_crop_and_resize needs 8 values (starts and ends of N, C, H, W)'));
  if (roi[0] !== 0 || roi[1] !== 0 || roi[4] !== 1 || roi[5] !== 1) ctx.fail(m.unsupportedInput('roi', `[${Array.from(roi, short).join(', ')}] crops the batch or channel axis`));
  return [roi[2]!, roi[3]!, roi[6]!, roi[7]!];
}

interface Sampling {
  mode: string;
  coordinates: string;
  nearest: string;
  cubicA: number;
  excludeOutside: boolean;
  extrapolation: number;
}

function convert(ctx: ImportContext, s: Sampling, scales: Float32Array | undefined, sizes: Float32Array | undefined, roi: Float32Array | undefined) {
  const mode = MODES[s.mode];
  if (!mode) ctx.fail(m.unsupportedAttr('mode', s.mode, 'ONNX Resize modes are nearest, linear and cubic'), 'attribute');
  if (!(RESIZE_COORDINATES as readonly string[]).includes(s.coordinates)) {
    ctx.fail(m.unsupportedAttr('coordinate_transformation_mode', s.coordinates, `convlab takes ${RESIZE_COORDINATES.join(', ')}`), 'attribute');
  }
  if (mode === 'nearest' && !(RESIZE_ROUNDING as readonly string[]).includes(s.nearest)) {
    ctx.fail(m.unsupportedAttr('nearest_mode', s.nearest, `convlab takes ${RESIZE_ROUNDING.join(', ')}`), 'attribute');
  }
  const x = ctx.tensor(0, 'input X', { layouts: ['nchw'] });
  const t = target(ctx, x.shape, scales, sizes);
  const attrs: Record<string, AttrValue> = { ...t, mode };
  if (s.coordinates === 'tf_crop_and_resize') {
    if ('scale' in t) ctx.fail(m.unsupportedInput('scales', 'tf_crop_and_resize is read with sizes; convlab crops to a named output size, as TensorFlow'));
    attrs.roi = crop(ctx, roi);
    attrs.extrapolation = s.extrapolation;
  }
  if (mode === 'nearest') {
    const whole = 'size' in t || t.scale.every(Number.isInteger);
    // Both read ⌊o·in/out⌋: asymmetric + floor at a size or whole factors, half-pixel rounding at whole factors.
    const plain = (whole && s.coordinates === 'asymmetric' && s.nearest === 'floor')
      || ('scale' in t && whole && ['half_pixel', 'pytorch_half_pixel'].includes(s.coordinates) && s.nearest.startsWith('round_prefer_'));
    return [ctx.emit('Resize', [x], plain ? attrs : { ...attrs, coordinates: s.coordinates, rounding: s.nearest })];
  }
  if (mode === 'bicubic') Object.assign(attrs, { cubicA: s.cubicA, excludeOutside: s.excludeOutside });
  return [ctx.emit('Resize', [x], { ...attrs, coordinates: s.coordinates })];
}

/** Optional float values of input `i`, when present. */
const floats = (ctx: ImportContext, i: number, role: string): Float32Array | undefined => {
  if (!ctx.optional(i)) return undefined;
  const data = ctx.constValues(i, role).data;
  return data.length > 0 ? data : undefined;
};

const Resize: Converter = (ctx) => {
  if (ctx.intAttr('antialias', 0) !== 0) ctx.fail(m.unsupportedAttr('antialias', 1, 'convlab resizes without an antialiasing filter'), 'attribute');
  const axes = ctx.attr('axes');
  if (Array.isArray(axes)) ctx.fail(m.unsupportedAttr('axes', axes, 'convlab reads scales and sizes for all four axes (N, C, H, W)'), 'attribute');
  const policy = ctx.strAttr('keep_aspect_ratio_policy', 'stretch');
  if (policy !== 'stretch') ctx.fail(m.unsupportedAttr('keep_aspect_ratio_policy', policy, 'convlab resizes to the sizes given (stretch)'), 'attribute');
  const opset10 = ctx.o.opset < 11;
  const coordinates = opset10 ? 'asymmetric' : ctx.strAttr('coordinate_transformation_mode', 'half_pixel');
  const sampling: Sampling = {
    mode: ctx.strAttr('mode', 'nearest'),
    coordinates,
    nearest: opset10 ? 'floor' : ctx.strAttr('nearest_mode', 'round_prefer_floor'),
    cubicA: ctx.floatAttr('cubic_coeff_a', -0.75),
    excludeOutside: ctx.intAttr('exclude_outside', 0) !== 0,
    extrapolation: ctx.floatAttr('extrapolation_value', 0),
  };
  const scales = floats(ctx, opset10 ? 1 : 2, 'scales');
  const sizes = opset10 ? undefined : floats(ctx, 3, 'sizes');
  const roi = !opset10 && coordinates === 'tf_crop_and_resize' ? floats(ctx, 1, 'roi') : undefined;
  return convert(ctx, sampling, scales, sizes, roi);
};

/** Upsample (opset 7 to 9): scales as an attribute (7) or an input (9), asymmetric positions. */
const Upsample: Converter = (ctx) => {
  const attr = ctx.attr('scales');
  const scales = Array.isArray(attr) ? Float32Array.from(attr as number[]) : floats(ctx, 1, 'scales');
  const sampling: Sampling = { mode: ctx.strAttr('mode', 'nearest'), coordinates: 'asymmetric', nearest: 'floor', cubicA: -0.75, excludeOutside: false, extrapolation: 0 };
  return convert(ctx, sampling, scales, undefined, undefined);
};

/** Converters of resizing ops. */
export const RESAMPLE_OPS: Record<string, Converter> = { Resize, Upsample };
