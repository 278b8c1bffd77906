/**
 * The quantization options `export` and `bench` share: calibration data, range method, weight
 * layout, and the making of precision variants from a float model.
 */
import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import type { ModelProto } from '../onnx/proto.js';
import type { MadeVariant, Variant } from '../runtime/onnx/quantize/variants.js';
import { CALIBRATION_METHODS } from '../runtime/onnx/quantize/ranges.js';
import { choice, dataDirOf, positiveInt } from './options.js';
import { messages } from '../core/messages.js';

/** The flags as commander hands them over. */
export interface QuantizeFlags {
  calibrate?: string;
  data?: string;
  calibrationSamples: string;
  method: string;
  percentile: string;
  perChannel: boolean;
  reduceRange: boolean;
  exclude?: string;
}

/** Declares the calibration and weight options. */
export function addQuantizeOptions(cmd: Command): Command {
  return cmd
    .option('--calibrate <data>', 'int8: calibrate on a data set (mnist, fashion-mnist, cifar10, digits; its training split) or a folder of PNG / JPEG images')
    .option('--data <dir>', 'where --calibrate finds the data set (default: $CONVLAB_DATA)')
    .option('--calibration-samples <n>', 'int8: samples to calibrate on', '256')
    .option('--method <name>', `int8: activation range method: ${CALIBRATION_METHODS.join(' | ')}`, 'minmax')
    .option('--percentile <p>', 'int8 with --method percentile: share of values kept in range, in %', '99.999')
    .option('--no-per-channel', 'int8: one weight scale per tensor instead of one per output channel')
    .option('--no-reduce-range', 'full 8-bit weights (±127) instead of 7-bit (±63): only for CPUs with VNNI or ARM, where u8×s8 products do not saturate')
    .option('--exclude <nodes>', 'int8: comma-separated ONNX node names to keep in float');
}

/** Reads `--percentile`. */
function percentileOf(text: string): number {
  const p = Number(text);
  if (!Number.isFinite(p) || p <= 50 || p > 100) throw new UsageError(messages.badPercentile(text));
  return p;
}

/** What the calibration needs about the model being quantized. */
export interface QuantizeTarget {
  label: string;
  /** Per-sample input shape (NHWC). */
  input: number[];
  /** Model metadata (preprocessing recipe). */
  meta: Record<string, unknown>;
}

/** Makes the variants of a float model that the flags ask for; notes go to stderr. */
export async function makeVariants(
  fp32: ModelProto, variants: readonly Variant[], flags: QuantizeFlags, target: QuantizeTarget, threads?: number,
): Promise<MadeVariant[]> {
  const method = choice('--method', CALIBRATION_METHODS, flags.method);
  const percentile = percentileOf(flags.percentile);
  const count = positiveInt('--calibration-samples', flags.calibrationSamples);
  const { makeVariant } = await import('../runtime/onnx/quantize/variants.js');
  const { calibrationSamples, randomSamples } = await import('../runtime/onnx/quantize/samples.js');
  const { checkQuantizable } = await import('../runtime/onnx/quantize/quantize.js');
  // Checked before calibration data is read or a note printed.
  if (variants.some((v) => v !== 'fp32')) checkQuantizable(fp32, target.label);
  let samples;
  if (variants.includes('int8')) {
    if (flags.calibrate) samples = await calibrationSamples(flags.calibrate, () => dataDirOf(flags.data), target.input, target.meta, count);
    else {
      samples = randomSamples(target.input, Math.min(count, 32));
      process.stderr.write(`${messages.randomCalibration(target.label)}\n`);
    }
  }
  const exclude = flags.exclude ? new Set(flags.exclude.split(',').map((s) => s.trim()).filter((s) => s)) : undefined;
  const made: MadeVariant[] = [];
  for (const v of variants) {
    made.push(await makeVariant(fp32, v, {
      method, percentile, perChannel: flags.perChannel, reduceRange: flags.reduceRange,
      ...(samples ? { samples } : {}), ...(exclude ? { exclude } : {}), ...(threads ? { threads } : {}),
    }, target.label));
  }
  return made;
}
