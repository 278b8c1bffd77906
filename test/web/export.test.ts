/** Pictures to download: the SVG document around a drawing, and how large a PNG may be drawn. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CANVAS_MAX, pngScale, svgDocument } from '../../web/src/export.js';

describe('svgDocument', () => {
  test('a standalone SVG of the drawing\'s size on white', () => {
    const doc = svgDocument('<g class="nodes"></g>', 100.4, 50);
    assert.match(doc, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="101" height="50" viewBox="0 0 101 50"><rect width="100%" height="100%" fill="#ffffff"\/><g class="nodes"><\/g><\/svg>\n$/);
  });
});

describe('pngScale', () => {
  test('twice the size when it fits', () => assert.equal(pngScale(1000, 800), 2));
  test('a tall drawing stays within the canvas side limit', () => {
    const s = pngScale(400, 60_000);
    assert.ok(60_000 * s <= CANVAS_MAX.side);
  });
  test('a large one stays within the canvas area limit', () => {
    const s = pngScale(12_000, 12_000);
    assert.ok(12_000 * s * 12_000 * s <= CANVAS_MAX.area + 1);
  });
});
