/** Point-label placement: no two labels overlap, each sits nearest its own point, crowded ones drop. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { textWidth } from '../../src/report/chart_style.js';
import { placeLabels, type LabelTarget, type Placement } from '../../src/report/labels.js';

const layout = { width: 400, height: 300, fontSize: 10 };
const box = (t: LabelTarget, p: Placement) => {
  const w = textWidth(t.text, 10);
  const ax = t.x + p.dx;
  const x0 = p.align === 'left' ? ax : p.align === 'right' ? ax - w : ax - w / 2;
  return { x0, x1: x0 + w, y0: t.y + p.dy - 6, y1: t.y + p.dy + 6 };
};

describe('labels', () => {
  test('a lone point is labelled on its right', () => {
    assert.deepEqual(placeLabels([{ x: 100, y: 100, r: 5, text: 'resnet50' }], layout), [{ dx: 8, dy: 0, align: 'left' }]);
  });

  test('a point at the right edge is labelled on its left', () => {
    assert.equal(placeLabels([{ x: 395, y: 100, r: 3, text: 'vgg16' }], layout)[0]!.align, 'right');
  });

  test('placed labels never overlap and stay inside the plot', () => {
    const targets: LabelTarget[] = Array.from({ length: 30 }, (_, i) => ({ x: 150 + (i % 6) * 12, y: 120 + Math.floor(i / 6) * 9, r: 4, text: `model_${i}` }));
    const placed = placeLabels(targets, layout);
    const boxes = placed.flatMap((p, i) => (p ? [box(targets[i]!, p)] : []));
    assert.ok(boxes.length > 0 && boxes.length < targets.length, 'a crowd gets some labels, not all');
    for (const b of boxes) assert.ok(b.x0 >= 0 && b.x1 <= layout.width && b.y0 >= 0 && b.y1 <= layout.height);
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => assert.ok(!(a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1), 'overlap')));
  });
});
