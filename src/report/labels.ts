/**
 * Point-label placement for scatter charts. Vega's label transform needs a canvas, which headless
 * rendering lacks, so labels are placed here in pixel space: each label takes the first side of
 * its point where it overlaps no placed label and leaves the plot least covered; where every near
 * side is taken, a farther one with a leader line back to its point.
 */
import { textWidth } from './chart_style.js';

/** A point in pixels (origin top-left) with its marker radius and its label. */
export interface LabelTarget {
  x: number;
  y: number;
  r: number;
  text: string;
}

export type Align = 'left' | 'right' | 'center';

/** Where a label goes: the anchor offset from its point, and the text alignment at the anchor. */
export interface Placement {
  dx: number;
  dy: number;
  align: Align;
  /** Far from its point: draw a line from the point to the label. */
  leader?: boolean;
}

export interface LabelLayout {
  width: number;
  height: number;
  fontSize: number;
  /** Try above the point first (values along a line read best over it); beside it by default. */
  above?: boolean;
}

interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}


const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Gap between a marker's edge and a box; negative when they overlap. */
function gap(c: LabelTarget, b: Box): number {
  const nx = Math.max(b.x0, Math.min(c.x, b.x1));
  const ny = Math.max(b.y0, Math.min(c.y, b.y1));
  return Math.hypot(nx - c.x, ny - c.y) - c.r;
}

/** Beyond this gap from its marker a label gets a leader line. */
const LEADER_GAP = 20;

/** Candidate anchors around a point, nearest first, then wider rings (with leader lines). */
function candidates(r: number, h: number, above = false): Placement[] {
  const out: Placement[] = [];
  for (const gap of [3, 14, 28, 44, 64]) {
    const d = r + gap;
    const diag = d * Math.SQRT1_2;
    const ring: Placement[] = [
      { dx: d, dy: 0, align: 'left' },
      { dx: -d, dy: 0, align: 'right' },
      { dx: 0, dy: -(d + h / 2), align: 'center' },
      { dx: 0, dy: d + h / 2, align: 'center' },
      { dx: diag, dy: -(diag + h / 3), align: 'left' },
      { dx: diag, dy: diag + h / 3, align: 'left' },
      { dx: -diag, dy: -(diag + h / 3), align: 'right' },
      { dx: -diag, dy: diag + h / 3, align: 'right' },
    ];
    // Above first: up, then up-right and up-left, then the sides and below.
    const ordered = above ? [ring[2]!, ring[4]!, ring[6]!, ring[0]!, ring[1]!, ring[3]!, ring[5]!, ring[7]!] : ring;
    out.push(...ordered.map((p) => (gap > LEADER_GAP ? { ...p, leader: true } : p)));
  }
  return out;
}

/** The text box of a label placed at `p` beside `t`. */
function boxOf(t: LabelTarget, p: Placement, w: number, h: number): Box {
  const ax = t.x + p.dx;
  const ay = t.y + p.dy;
  const x0 = p.align === 'left' ? ax : p.align === 'right' ? ax - w : ax - w / 2;
  return { x0, x1: x0 + w, y0: ay - h / 2, y1: ay + h / 2 };
}

/**
 * Places every label, in the given order (earlier labels get the better sides). A label with no
 * side inside the plot that is free of other labels and nearer its own point than any other is
 * left out (null).
 */
export function placeLabels(targets: LabelTarget[], o: LabelLayout): Array<Placement | null> {
  const h = o.fontSize * 1.2;
  const placed: Box[] = [];
  return targets.map((t) => {
    const w = textWidth(t.text, o.fontSize);
    let best: { p: Placement; box: Box; cost: number } | undefined;
    candidates(t.r, h, o.above).forEach((p, i) => {
      const box = boxOf(t, p, w, h);
      if (box.x0 < 0 || box.y0 < 0 || box.x1 > o.width || box.y1 > o.height) return;
      if (placed.some((b) => overlaps(b, box))) return;
      // A label must sit nearer its own point than any other, or a reader pairs it wrongly; a leader line pairs it instead, but may cover no point.
      const own = gap(t, box);
      if (p.leader ? targets.some((c) => c !== t && gap(c, box) < 2) : targets.some((c) => c !== t && gap(c, box) < own)) return;
      const cost = targets.filter((c) => c !== t && gap(c, box) < 0).length + i * 0.01;
      if (!best || cost < best.cost) best = { p, box, cost };
    });
    if (!best) return null;
    placed.push(best.box);
    return best.p;
  });
}
