/** The graph's SVG markup: colours from the log scale, selection, tooltips, frames, edges and legend. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fillFor, logShare, textOn } from '../../web/src/colour.js';
import { drawingMarkup, legendMarkup, nodeMarkup } from '../../web/src/graph_draw.js';
import type { ElkGraph, VisGraph, VisNode } from '../../web/src/graph_model.js';

const conv: VisNode = { id: 'L:conv<1>', kind: 'layer', name: 'conv<1>', detail: 'Conv2D (8,8,4)', values: { macs: 1000, params: 40, memory: 1024 }, layers: 1 };
const relu: VisNode = { id: 'L:relu', kind: 'layer', name: 'relu', detail: 'ReLU (8,8,4)', values: { macs: 0, params: 0, memory: 1024 }, layers: 1 };
const block: VisNode = { id: 'B:s1', kind: 'block', name: 's1', detail: '2 layers', values: { macs: 10, params: 4, memory: 2048 }, layers: 2 };
const frame: VisNode = { id: 'B:f', kind: 'frame', name: 'f', detail: '2 layers', values: { macs: 1000, params: 40, memory: 2048 }, layers: 2, children: [conv, relu] };
const g: VisGraph = {
  roots: [frame, block],
  edges: [{ id: 'e0', source: conv.id, target: relu.id }],
  boxOf: new Map(),
  max: { macs: 1000, params: 40, memory: 2048 },
  min: { macs: 10, params: 4, memory: 1024 },
};
const at = (id: string, x: number, y: number, children?: ElkGraph[]): ElkGraph => ({ id, x, y, width: 120, height: 36, ...(children ? { children } : {}) });
const laidOut: ElkGraph = {
  id: 'root',
  children: [at('B:f', 0, 0, [at(conv.id, 10, 30), at(relu.id, 10, 90)]), at('B:s1', 0, 200)],
  edges: [{ id: 'e0', sources: [conv.id], targets: [relu.id], sections: [{ startPoint: { x: 70, y: 66 }, bendPoints: [{ x: 70, y: 80 }], endPoint: { x: 70, y: 90 } }] }],
};
const paint = { colourBy: 'macs' as const, sizeBy: null, selected: null, marked: new Set<string>() };

describe('nodeMarkup', () => {
  test('the fill follows the log scale between the smallest and largest value drawn, the ink reads on it', () => {
    const markup = nodeMarkup(at(block.id, 0, 200), block, g, paint);
    const fill = fillFor(logShare(10, 10, 1000));
    assert.ok(markup.includes(`fill="${fill}"`));
    assert.ok(markup.includes(`fill="${textOn(fill)}" class="name">s1<`));
    assert.ok(markup.includes('rx="8"'), 'a closed block has round corners');
    assert.match(markup, /<title>s1\n2 layers\nMACs: 10\ndouble-click to open<\/title>/);
  });
  test('a box that costs nothing is grey; names are escaped; the selection is marked', () => {
    assert.ok(nodeMarkup(at(relu.id, 0, 0), relu, g, paint).includes(`fill="${fillFor(0)}"`));
    const markup = nodeMarkup(at(conv.id, 0, 0), conv, g, { ...paint, selected: conv.id });
    assert.ok(markup.includes('class="node layer selected"'));
    assert.ok(markup.includes('conv&lt;1&gt;') && !markup.includes('conv<1>'));
  });
  test('a box holding a layer the what-if moves rewrote is marked', () => {
    assert.ok(nodeMarkup(at(conv.id, 0, 0), conv, g, { ...paint, marked: new Set([conv.id]) }).includes('class="node layer rewritten"'));
  });
  test('coloured by memory, the tooltip gives bytes', () => {
    assert.match(nodeMarkup(at(conv.id, 0, 0), conv, g, { ...paint, colourBy: 'memory' }), /Activation memory: 1 KiB/);
  });
});

describe('drawingMarkup', () => {
  const markup = drawingMarkup(g, laidOut, paint);
  test('frames, then edges, then boxes, so boxes are never covered', () => {
    const [frames, edges, nodes] = ['class="frames"', 'class="edges"', 'class="nodes"'].map((k) => markup.indexOf(k));
    assert.ok(frames! >= 0 && frames! < edges! && edges! < nodes!);
    assert.equal((markup.match(/<g class="frame"/g) ?? []).length, 1);
    assert.equal((markup.match(/<g class="node /g) ?? []).length, 3);
  });
  test('edges follow their routes, bends included', () => {
    assert.ok(markup.includes('<path d="M70,66 L70,80 L70,90" marker-end="url(#arrow)"/>'));
  });
});

describe('legendMarkup', () => {
  test('the metric, its smallest and largest values, and what sizes the boxes', () => {
    const legend = legendMarkup(g, { ...paint, sizeBy: 'params' });
    assert.ok(legend.startsWith('<span>MACs</span>'));
    assert.ok(legend.includes('<span>10</span>') && legend.includes('<span>1k</span>'));
    assert.ok(legend.includes('size: Params'));
    assert.ok(!legendMarkup(g, paint).includes('size:'));
  });
});
