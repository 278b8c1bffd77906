/** The graph's colour scale: logarithmic, neutral for zero, readable text on every fill. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contrast, fillFor, logShare, textOn, ZERO_FILL } from '../../web/src/colour.js';

describe('logShare', () => {
  test('zero and negative values cost nothing', () => {
    assert.equal(logShare(0, 1, 100), 0);
    assert.equal(logShare(-5, 1, 100), 0);
  });
  test('the extremes map to the ends, a geometric midpoint to the middle', () => {
    assert.equal(logShare(100, 1, 100), 1);
    assert.equal(logShare(1, 1, 100), 0.02);
    assert.ok(Math.abs(logShare(10, 1, 100) - 0.5) < 1e-12);
  });
  test('one distinct value fills fully', () => assert.equal(logShare(7, 7, 7), 1));
});

describe('fillFor / textOn', () => {
  test('zero share is the neutral grey', () => assert.equal(fillFor(0), ZERO_FILL));
  test('fills are hex colours and darken along the scale', () => {
    const lum = (hex: string) => [1, 3, 5].reduce((s, i) => s + parseInt(hex.slice(i, i + 2), 16), 0);
    const fills = [0.05, 0.3, 0.6, 0.9, 1].map(fillFor);
    for (const f of fills) assert.match(f, /^#[0-9a-f]{6}$/);
    for (let i = 1; i < fills.length; i++) assert.ok(lum(fills[i]!) < lum(fills[i - 1]!), `${fills[i]} darker than ${fills[i - 1]}`);
  });
  test('dark text on light fills, white on dark', () => {
    assert.equal(textOn(fillFor(0.05)), '#000000');
    assert.equal(textOn(fillFor(1)), '#ffffff');
  });
  test('the text on every fill of the scale reads at WCAG AA (4.5:1) or better', () => {
    for (let i = 0; i <= 1000; i++) {
      const fill = fillFor(i / 1000);
      assert.ok(contrast(textOn(fill), fill) >= 4.5, `${fill}: ${contrast(textOn(fill), fill).toFixed(2)}:1`);
    }
  });
  test('contrast: black on white is 21:1, a colour on itself 1:1', () => {
    assert.equal(contrast('#000000', '#ffffff'), 21);
    assert.equal(contrast('#1f5fbf', '#1f5fbf'), 1);
  });
});
