/**
 * The digits CSV (UCI optdigits as scikit-learn ships it): one sample a line, 64 pixel values
 * 0..16 of an 8×8 image in row-major order, then the label 0..9; no header.
 */
import { DataError } from '../core/errors.js';
import { readDataFile } from './files.js';
import { messages } from '../core/messages.js';

/** Geometry and value ranges of the digits CSV. */
export const DIGITS_SIDE = 8;
export const DIGITS_PIXELS = DIGITS_SIDE * DIGITS_SIDE;
export const DIGITS_MAX = 16;
export const DIGITS_CLASSES = 10;

/** Decoded digits: labels and count × 8 × 8 pixel values. */
export interface DigitsSamples {
  count: number;
  labels: Uint8Array;
  pixels: Uint8Array;
}

function integerField(text: string): number | undefined {
  const t = text.trim();
  // Exported CSVs sometimes write integers as "3.0"; anything else non-integral is an error.
  if (!/^[+]?\d+(\.0*)?$/.test(t)) return undefined;
  return Number(t);
}

/** Parses the digits CSV; errors name the line and the column (1-based value position). */
export function parseDigitsCsv(text: string, file: string): DigitsSamples {
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines.length === 0) throw new DataError(messages.csvEmpty(file));
  const fields = DIGITS_PIXELS + 1;
  const labels = new Uint8Array(lines.length);
  const pixels = new Uint8Array(lines.length * DIGITS_PIXELS);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const row = raw.replace(/\r$/, '');
    if (row.trim() === '') throw new DataError(messages.csvEmptyLine(file, line));
    const values = row.split(',');
    if (values.length !== fields) throw new DataError(messages.csvFieldCount(file, line, fields, values.length));
    for (let c = 0; c < DIGITS_PIXELS; c++) {
      const v = integerField(values[c]!);
      if (v === undefined || v > DIGITS_MAX) {
        throw new DataError(messages.csvValue(file, line, c + 1, `pixel ${c + 1}`, `an integer 0..${DIGITS_MAX}`, values[c]!));
      }
      pixels[i * DIGITS_PIXELS + c] = v;
    }
    const label = integerField(values[DIGITS_PIXELS]!);
    if (label === undefined || label >= DIGITS_CLASSES) {
      throw new DataError(
        messages.csvValue(file, line, fields, 'the label', `an integer 0..${DIGITS_CLASSES - 1}`, values[DIGITS_PIXELS]!),
      );
    }
    labels[i] = label;
  });
  return { count: lines.length, labels, pixels };
}

/** Reads the digits CSV from a file, gzip or not. */
export async function readDigitsCsv(path: string): Promise<DigitsSamples> {
  return parseDigitsCsv((await readDataFile(path)).toString('utf8'), path);
}
