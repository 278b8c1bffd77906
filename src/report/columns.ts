/**
 * The columns a summary table can show, picked with `--columns`: the lecture's per-layer
 * hyper-parameters (kernel, stride, padding, alone or compact as `3×3/2 same`), Keras'
 * "Connected to", and the figures of each layer. Each column says how a layer fills it and how
 * a block does; every figure comes from the analysis.
 */
import type { Analysis, LayerRow } from '../analysis/types.js';
import { countOf, type CountKey, type Counted } from '../analysis/exact.js';
import { UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { nearest } from '../core/suggest.js';
import type { ReceptiveField } from '../ops/types.js';
import { countCell, textCell, type Cell, type Column } from './document.js';
import type { GroupRow } from './group.js';
import { bytes, conventionName, human, int, shape } from './units.js';

/** Column keys of `--columns`. */
export const COLUMN_KEYS = ['shape', 'window', 'kernel', 'stride', 'padding', 'connected', 'params', 'macs', 'flops', 'train', 'memory', 'rf', 'jump'] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];

/** The columns a summary shows when nobody picks. */
export const DEFAULT_COLUMNS: readonly ColumnKey[] = ['shape', 'params', 'macs', 'flops', 'memory', 'rf', 'jump'];

/** A layer's window as written in its attributes: kernel, stride and padding, for conv and pooling layers. */
export interface WindowText {
  kernel: string;
  stride: string;
  padding: string;
  /** Dilation and ceil mode, where they are not the defaults. */
  extra: string[];
}

const pair = (x: unknown): [number, number] | undefined =>
  Array.isArray(x) && x.length === 2 && x.every((d) => typeof d === 'number') ? (x as [number, number]) : undefined;

const pairText = (p: [number, number], sep = '×') => (p[0] === p[1] ? String(p[0]) : `${p[0]}${sep}${p[1]}`);

function paddingText(p: unknown): string {
  if (p === 'same' || p === 'valid') return p;
  if (Array.isArray(p) && p.every((d) => typeof d === 'number')) return p.every((d) => d === p[0]) ? `p${p[0]}` : `p${p.join(',')}`;
  return '';
}

/** Kernel, stride and padding of a windowed layer (`3×3`, `2`, `same`); undefined for other layers. */
export function windowOf(r: Pick<LayerRow, 'op' | 'attrs'>): WindowText | undefined {
  if (r.op === 'GlobalAvgPool' || r.op === 'GlobalMaxPool') return { kernel: 'global', stride: '', padding: '', extra: [] };
  const k = pair(r.attrs.kernelSize) ?? pair(r.attrs.poolSize);
  if (!k) return undefined;
  const s = pair(r.attrs.strides) ?? [1, 1];
  const d = pair(r.attrs.dilation);
  const extra = [...(d && (d[0] > 1 || d[1] > 1) ? [`d${pairText(d)}`] : []), ...(r.attrs.ceilMode === true ? ['ceil'] : [])];
  return { kernel: `${k[0]}×${k[1]}`, stride: pairText(s), padding: paddingText(r.attrs.padding), extra };
}

/** The lecture's compact form of a window: `3×3/2 same`, `11×11/4 valid`, `3×3/2 valid ceil`. */
export function windowCompact(w: WindowText): string {
  if (w.kernel === 'global') return 'global';
  return [`${w.kernel}/${w.stride}`, w.padding, ...w.extra].filter((x) => x !== '').join(' ');
}

/** One receptive-field figure: whole numbers as they are, fractions (after a resize) to 4 significant digits. */
export const rfNumber = (x: number): string => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4))));

/** A pair of receptive-field figures: `7`, or `7×3` when the axes differ. */
export const rfPair = ([h, w]: readonly [number, number]): string => (h === w ? rfNumber(h) : `${rfNumber(h)}×${rfNumber(w)}`);

/** A receptive field's size or jump as tables print it: `7`, or `7×3` when the axes differ; `*` where branches disagree. */
export const rfText = (rf: ReceptiveField, axis: 'size' | 'jump'): string => `${rfPair(rf[axis])}${axis === 'size' && rf.disagree ? '*' : ''}`;

/** How one column reads a layer and a block. */
interface ColumnDef {
  header: (a: Analysis) => string;
  numeric: boolean;
  /** A sum over layers, which a roll-up by op type can show; the others describe one tensor. */
  sum: boolean;
  layer: (r: LayerRow) => Cell;
  /** Blocks leave hyper-parameter columns empty. */
  group: (g: GroupRow) => Cell;
}

const empty = (): Cell => textCell('');
const count = (k: CountKey, format: (x: number | bigint) => string) => (r: Counted): Cell => countCell(countOf(r, k), format);
const windowPart = (f: (w: WindowText) => string) => (r: LayerRow): Cell => {
  const w = windowOf(r);
  return textCell(w ? f(w) : '');
};

/** The FLOPs column names its convention; `flops` counts hardware operations. */
export const flopsHeader = (a: Analysis): string => `FLOPs (${conventionName(a.convention)})`;

const COLUMNS: Record<ColumnKey, ColumnDef> = {
  shape: { header: () => 'Output shape', numeric: false, sum: false, layer: (r) => textCell(shape(r.outputShape)), group: (g) => textCell(shape(g.outputShape)) },
  window: { header: () => 'Kernel/stride pad', numeric: false, sum: false, layer: windowPart(windowCompact), group: empty },
  kernel: { header: () => 'Kernel', numeric: false, sum: false, layer: windowPart((w) => w.kernel), group: empty },
  stride: { header: () => 'Stride', numeric: false, sum: false, layer: windowPart((w) => w.stride), group: empty },
  padding: { header: () => 'Padding', numeric: false, sum: false, layer: windowPart((w) => [w.padding, ...w.extra].filter((x) => x).join(' ')), group: empty },
  connected: { header: () => 'Connected to', numeric: false, sum: false, layer: (r) => textCell(r.inputs.join(', ')), group: (g) => textCell(g.inputs.join(', ')) },
  params: { header: () => 'Param #', numeric: true, sum: true, layer: count('params', int), group: count('params', int) },
  macs: { header: () => 'MACs', numeric: true, sum: true, layer: count('macs', human), group: count('macs', human) },
  flops: { header: flopsHeader, numeric: true, sum: true, layer: count('flops', human), group: count('flops', human) },
  train: { header: (a) => `Train FLOPs (${conventionName(a.convention)})`, numeric: true, sum: true, layer: count('trainingFlops', human), group: count('trainingFlops', human) },
  memory: { header: () => 'Act. mem', numeric: true, sum: true, layer: count('activationBytes', bytes), group: count('activationBytes', bytes) },
  rf: { header: () => 'RF', numeric: true, sum: false, layer: (r) => textCell(rfText(r.receptiveField, 'size')), group: (g) => textCell(rfText(g.receptiveField, 'size')) },
  jump: { header: () => 'Jump', numeric: true, sum: false, layer: (r) => textCell(rfText(r.receptiveField, 'jump')), group: (g) => textCell(rfText(g.receptiveField, 'jump')) },
};

/** Reads `--columns kernel,stride,padding,params`: known keys, in the order given, each once. */
export function parseColumns(text: string): ColumnKey[] {
  const keys = text.split(',').map((k) => k.trim()).filter((k) => k !== '');
  if (keys.length === 0) throw new UsageError(messages.listOption('--columns', COLUMN_KEYS, text));
  for (const k of keys) {
    if (!(COLUMN_KEYS as readonly string[]).includes(k)) throw new UsageError(messages.unknownListItem('--columns', k, COLUMN_KEYS, nearest(k, COLUMN_KEYS, 2)));
  }
  return [...new Set(keys as ColumnKey[])];
}

/**
 * The columns' headers; `macs` convention drops the FLOPs column, which would repeat MACs, and a
 * roll-up by op type (`sumsOnly`) keeps only the sums: its rows are no one tensor.
 */
export function columnsOf(a: Analysis, keys: readonly ColumnKey[], sumsOnly = false): Array<{ key: ColumnKey; column: Column }> {
  return keys
    .filter((k) => !(k === 'flops' && a.convention === 'macs'))
    .filter((k) => !sumsOnly || COLUMNS[k].sum)
    .map((key) => ({ key, column: { key, header: COLUMNS[key].header(a), numeric: COLUMNS[key].numeric } }));
}

/** A layer's cells under the chosen columns. */
export const layerCells = (keys: ReadonlyArray<{ key: ColumnKey }>, r: LayerRow): Cell[] => keys.map(({ key }) => COLUMNS[key].layer(r));

/** A block's cells under the chosen columns. */
export const groupCells = (keys: ReadonlyArray<{ key: ColumnKey }>, g: GroupRow): Cell[] => keys.map(({ key }) => COLUMNS[key].group(g));
