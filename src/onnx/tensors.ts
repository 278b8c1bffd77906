/**
 * Tensors the quantizer writes and reads beyond float32 and int64: int8 / uint8 / int32 data,
 * float16 and bfloat16 bits, and a reader for any numeric initializer. Browser-safe.
 */
import { fromFloat16Bits } from '../core/half.js';
import { DataError } from '../core/errors.js';
import { DataType, tensorToFloat32, type TensorProto } from './proto.js';
import { messages } from '../core/messages.js';

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function bytesOf(data: Int8Array | Uint8Array | Int32Array | Uint16Array): Uint8Array {
  if (littleEndian || data.BYTES_PER_ELEMENT === 1) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  data.forEach((x: number, i: number) => (data instanceof Int32Array ? view.setInt32(i * 4, x, true) : view.setUint16(i * 2, x, true)));
  return out;
}

/** An int8 tensor (weights, weight zero points). */
export const int8Tensor = (name: string, dims: number[], data: Int8Array): TensorProto =>
  ({ name, dims: [...dims], dataType: DataType.INT8, rawData: bytesOf(data) });

/** A uint8 tensor (activation zero points, quantized constants). */
export const uint8Tensor = (name: string, dims: number[], data: Uint8Array): TensorProto =>
  ({ name, dims: [...dims], dataType: DataType.UINT8, rawData: bytesOf(data) });

/** An int32 tensor (biases quantized with scale x_scale · w_scale). */
export const int32Tensor = (name: string, dims: number[], data: Int32Array): TensorProto =>
  ({ name, dims: [...dims], dataType: DataType.INT32, rawData: bytesOf(data) });

/** A 16-bit float tensor (float16 or bfloat16 bits). */
export const halfTensor = (name: string, dims: number[], bits: Uint16Array, dataType: number): TensorProto =>
  ({ name, dims: [...dims], dataType, rawData: bytesOf(bits) });

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half-precision bits of a float, rounded to nearest even; overflow gives ±infinity. */
export function toFloat16Bits(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  const mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half (or zero): shift the mantissa with its implicit bit into place, rounding to even.
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = m & ((1 << shift) - 1);
    let h = m >>> shift;
    if (rest > half || (rest === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1))) h++;
  return sign | h;
}

/** bfloat16 bits of a float: the top half of its float32 bits, rounded to nearest even. */
export function toBfloat16Bits(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  if ((b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff)) return (b >>> 16) | 0x40;
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

export { fromFloat16Bits };

/**
 * Any numeric initializer as float32 values: what tensorToFloat32 reads, plus the 8-bit integer
 * and 16-bit float types quantized files carry.
 */
export function tensorValues(t: TensorProto, source = 'model'): Float32Array {
  const count = (t.dims ?? []).reduce((a, b) => a * b, 1);
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
  const name = t.name ?? '(unnamed)';
  const width = t.dataType === DataType.INT8 || t.dataType === DataType.UINT8 ? 1 : t.dataType === DataType.FLOAT16 || t.dataType === DataType.BFLOAT16 ? 2 : 0;
  if (width === 0) return tensorToFloat32(t, source);
  if (raw && raw.length !== count * width) throw new DataError(messages.tensorSize(source, name, count * width, raw.length));
  const out = new Float32Array(count);
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  // Without raw data ONNX stores these types one value per int32_data entry.
  const field = t.int32Data ?? [];
  if (!view && field.length !== count) throw new DataError(messages.tensorSize(source, name, count, field.length));
  for (let i = 0; i < count; i++) {
    switch (t.dataType) {
      case DataType.INT8: out[i] = view ? view.getInt8(i) : field[i]!; break;
      case DataType.UINT8: out[i] = view ? view.getUint8(i) : field[i]!; break;
      case DataType.FLOAT16: out[i] = fromFloat16Bits(view ? view.getUint16(i * 2, true) : field[i]!); break;
      default: {
        u32[0] = (view ? view.getUint16(i * 2, true) : field[i]!) << 16;
        out[i] = f32[0]!;
      }
    }
  }
  return out;
}
