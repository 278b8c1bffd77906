/**
 * What every chart shares: the look, one colour per model family (the same in every chart and on
 * the page), one colour per layer kind, clean ticks on log axes, and text that fits. Text is
 * measured as DejaVu Sans, the font charts are drawn in: the browser measures it on a canvas, and
 * headless rendering (render.ts) measures it with textWidth, so both lay a chart out alike.
 */
import { LAYER_KINDS, type LayerKind } from './group.js';

/** The vega-lite schema chart specs declare. */
export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const FONT = 'DejaVu Sans, Verdana, sans-serif';

/** Shared look: white background, one font, readable sizes. */
export const CONFIG = {
  font: FONT,
  background: 'white',
  padding: 12,
  title: { fontSize: 16, subtitleFontSize: 12, subtitleColor: '#555', anchor: 'start' as const, offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, titlePadding: 8, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  view: { stroke: null },
};

// Advance widths of DejaVu Sans in em, by class of character: within a few percent of the font's
// own for each class (digits 0.64, lowercase 0.52-0.64, capitals 0.6-0.79), which is what a layout needs.
const NARROW = new Set(' .,:;!|\'`ijlIJ·');
const SLIM = new Set('frt()[]{}-/\\"');
const WIDE = new Set('mwMW%@…×+=#<>~');
const emOf = (c: string): number =>
  NARROW.has(c) ? 0.3 : SLIM.has(c) ? 0.39 : WIDE.has(c) ? 0.88 : c >= 'A' && c <= 'Z' ? 0.7 : 0.62;

/** Width of a line of text in DejaVu Sans, in pixels; bold text runs about 10% wider. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const c of text) em += emOf(c);
  return Math.ceil(em * fontSize * (bold ? 1.1 : 1));
}

/** Splits text at spaces into lines that fit `width` pixels at `fontSize`, so a subtitle never widens the chart. */
export function wrap(text: string, width: number, fontSize = CONFIG.title.subtitleFontSize): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ').filter(Boolean)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && textWidth(`${last} ${word}`, fontSize) <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/**
 * One colour per zoo family, the same in every chart and on the page. Relatives share a hue (the
 * MobileNets blues, the ResNets oranges, the Inceptions greens), darker for the first of them.
 */
export const FAMILY_COLOURS: Readonly<Record<string, string>> = {
  lenet: '#7f7f7f',
  alexnet: '#8c564b',
  zfnet: '#c49c94',
  vgg: '#9467bd',
  googlenet: '#2ca02c',
  inception_v3: '#98df8a',
  inception_resnet: '#17becf',
  xception: '#9edae5',
  resnet: '#ff7f0e',
  resnet_v2: '#ffbb78',
  resnet_cifar: '#bd9e39',
  densenet: '#d62728',
  mobilenet: '#1f77b4',
  mobilenet_v2: '#6baed6',
  mobilenet_v3: '#aec7e8',
  efficientnet: '#e377c2',
  nasnet: '#bcbd22',
  squeezenet: '#393b79',
};

/** Colours for families outside the table (a spec, an import), picked by name so a family keeps its colour. */
const SPARE = ['#636363', '#843c39', '#637939', '#7b4173', '#3182bd', '#e6550d'];

/** The colour of a model family, the same in every chart. */
export function familyColour(family: string): string {
  const known = FAMILY_COLOURS[family];
  if (known) return known;
  let h = 0;
  for (const c of family) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return SPARE[h % SPARE.length]!;
}

/** A colour scale for a nominal `family` field over the families present, each in its own colour. */
export function familyScale(families: readonly string[]): { domain: string[]; range: string[] } {
  const domain = [...new Set(families)].sort();
  return { domain, range: domain.map(familyColour) };
}

/** Mixes a colour with white (`amount` > 0) or black (< 0). */
function shade(hex: string, amount: number): string {
  const n = parseInt(hex.slice(1), 16);
  const mix = (c: number) => Math.round(amount >= 0 ? c + (255 - c) * amount : c * (1 + amount));
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map(mix);
  return `#${((1 << 24) + (r! << 16) + (g! << 8) + b!).toString(16).slice(1)}`;
}

/** Colours of models drawn as separate series: each its family's colour, later members of a family darker, then lighter, so none coincide. */
export function modelColours(models: ReadonlyArray<{ model: string; family: string }>): { domain: string[]; range: string[] } {
  const seen = new Map<string, number>();
  const steps = [0, -0.35, 0.4, -0.6, 0.65];
  const range = models.map((m) => {
    const k = seen.get(m.family) ?? 0;
    seen.set(m.family, k + 1);
    return shade(familyColour(m.family), steps[k % steps.length]!);
  });
  return { domain: models.map((m) => m.model), range };
}

/** Colour of each layer kind, in every per-layer chart. */
export const KIND_COLOURS: Record<LayerKind, string> = { Convolution: '#4c78a8', 'Fully connected': '#e45756', Pooling: '#72b7b2', Other: '#b8b8b8' };

/** A colour scale over the layer kinds present, in the fixed order and colours. */
export function kindScale(present: ReadonlySet<string>): { domain: string[]; range: string[] } {
  const domain = LAYER_KINDS.filter((k) => present.has(k));
  return { domain, range: domain.map((k) => KIND_COLOURS[k]) };
}

/** Ticks of a log axis: 1, 2 and 5 times each power of ten inside the domain; just the powers when the domain spans many decades. */
export function logTicks([lo, hi]: readonly [number, number]): number[] {
  const decades = Math.log10(hi) - Math.log10(lo);
  const steps = decades > 4 ? [1] : decades > 2 ? [1, 3] : [1, 2, 5];
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const s of steps) {
      const v = Number((s * 10 ** e).toPrecision(1));
      if (v >= lo && v <= hi) out.push(v);
    }
  }
  return out;
}

/** A log domain padded by `pad` decades on each side. */
export function logDomain(values: readonly number[], pad = 0.1): [number, number] {
  const logs = values.map(Math.log10);
  return [10 ** (Math.min(...logs) - pad), 10 ** (Math.max(...logs) + pad)];
}

/**
 * Spreads labels stacked on one axis (pixel centres, any order) so no two are closer than `gap`,
 * moving each as little as it can and keeping them within [lo, hi]: labels at the ends of lines
 * that end close together stay readable.
 */
export function spread(centres: readonly number[], gap: number, lo: number, hi: number): number[] {
  const order = centres.map((c, i) => ({ c, i })).sort((a, b) => a.c - b.c);
  const pos = order.map((o) => Math.max(lo, Math.min(hi, o.c)));
  for (let k = 1; k < pos.length; k++) pos[k] = Math.max(pos[k]!, pos[k - 1]! + gap);
  if (pos.length > 0 && pos[pos.length - 1]! > hi) {
    pos[pos.length - 1] = hi;
    for (let k = pos.length - 2; k >= 0; k--) pos[k] = Math.min(pos[k]!, pos[k + 1]! - gap);
  }
  const out = new Array<number>(centres.length);
  order.forEach((o, k) => (out[o.i] = pos[k]!));
  return out;
}
