/**
 * The table of moves and the driver: every move on a spread of zoo models either keeps the
 * outputs or refuses in one line; arguments, --layers and the composition of several moves.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConvlabError } from '../../src/core/errors.js';
import { resolveGraph } from '../../src/graph/graph.js';
import { applyMoves, MOVE_NAMES, MOVES, parseMove, RefusedError, whatIf } from '../../src/rewrite/index.js';
import { getModel } from '../../src/zoo/index.js';
import { messages } from '../../src/core/messages.js';

/** An argument for each move that takes one. */
const ARGS: Record<string, string> = { bottleneck: '2', width: '0.5', resolution: '0.75', depth: '1.5', compound: '1' };
const text = (name: string) => (ARGS[name] ? `${name}=${ARGS[name]}` : name);

const MODELS = ['lenet5', 'alexnet', 'vgg16_bn', 'googlenet', 'inception_v3', 'resnet50', 'resnet18', 'mobilenet', 'mobilenet_v3_small', 'efficientnet_b0', 'densenet121', 'squeezenet1_1'];

describe('every move on the zoo', () => {
  for (const id of MODELS) {
    test(`${id}: each move keeps the output shape or refuses in one line`, () => {
      const spec = getModel(id);
      const outputs = resolveGraph(spec).outputs.map((o) => resolveGraph(spec).shapes.get(o));
      for (const name of MOVE_NAMES) {
        let out;
        try {
          out = applyMoves(spec, [text(name)]).spec;
        } catch (e) {
          assert.ok(e instanceof RefusedError, `${name}: ${(e as Error).message}`);
          assert.ok(!e.message.includes('\n') && e.message.startsWith(`${name}: `), e.message);
          continue;
        }
        const g = resolveGraph(out);
        const after = g.outputs.map((o) => g.shapes.get(o));
        assert.deepEqual(after, outputs, `${id} ${name}`);
      }
    });
  }
});

describe('the table of moves', () => {
  test('each move documents itself and its lecture claim, and parses what its example shows', () => {
    for (const name of MOVE_NAMES) {
      const m = MOVES[name];
      assert.equal(m.name, name);
      assert.ok(m.doc.length > 10 && m.claim.length > 10, name);
      if (m.arg.kind !== 'none') assert.equal(parseMove(m.arg.example).move, m);
    }
  });

  test('bad names and arguments are one-line refusals', () => {
    const fails = (t: string, message: string) => assert.throws(() => parseMove(t), (e: unknown) => e instanceof ConvlabError && e.message === message);
    fails('widht=0.5', messages.unknownMove('widht', MOVE_NAMES, 'width'));
    fails('width', messages.argMissing('width', 'width=0.5'));
    fails('width=0', messages.argNumber('width', 'in (0, 4]', '0'));
    fails('width=abc', messages.argNumber('width', 'in (0, 4]', 'abc'));
    fails('separable=2', messages.argUnexpected('separable', '2'));
    fails('resolution=1,2,3', messages.argText('resolution', 'H,W (e.g. 160,160), one size S, or a multiplier ρ with a decimal point (e.g. 0.714)', '1,2,3'));
  });

  test('--layers takes comma-separated globs, must match a candidate, and is refused for whole-model moves only', () => {
    const w = whatIf(getModel('vgg16'), ['separable'], { layers: 'block4_*, block5_conv[12]' });
    assert.deepEqual(w.changed.map((c) => c.label), ['block4_conv1', 'block4_conv2', 'block4_conv3', 'block5_conv1', 'block5_conv2']);
    assert.throws(() => applyMoves(getModel('vgg16'), ['separable'], { layers: 'fc*' }), (e: unknown) => e instanceof RefusedError && e.message.startsWith('separable: --layers "fc*" matches none'));
    assert.throws(() => applyMoves(getModel('vgg16'), ['width=0.5'], { layers: 'fc*' }), (e: unknown) => e instanceof RefusedError && e.message === messages.layersUnused(['width=0.5']));
  });
});

describe('several moves', () => {
  test('width then separable on the same layers: one row per layer, from the original to the last nodes', () => {
    const w = whatIf(getModel('vgg16'), ['width=0.5', 'separable'], { layers: 'block5_conv3' });
    const row = w.changed.find((c) => c.label === 'block5_conv3')!;
    assert.deepEqual(row.moves, ['width=0.5', 'separable']);
    assert.deepEqual(row.before.layers, ['block5_conv3', 'block5_pool', 'flatten']);
    // The row carries what the layer's channels flow through up to the next layer that sets its own: pool and flatten.
    assert.deepEqual(row.after.layers, ['block5_conv3_dw', 'block5_conv3_pw', 'block5_pool', 'flatten']);
    assert.equal(row.after.params, 256 * 9 + 256 + 256 * 256 + 256);
    assert.equal(w.changed.length, 15);
  });

  test('depth renumbers blocks under earlier rows: width rows keep pointing at the right nodes', () => {
    const w = whatIf(getModel('resnet50_v2'), ['width=0.5', 'depth=1.5']);
    // conv2_block3 (strided) became conv2_block5: its width row follows it.
    const row = w.changed.find((c) => c.label === 'conv2_block3_1_conv')!;
    assert.equal(row.after.layers[0], 'conv2_block5_1_conv');
    assert.equal(w.spec.nodes.find((n) => n.name === 'conv2_block5_1_conv')!.attrs?.filters, 32);
    assert.deepEqual(w.spec.meta?.rewrites, ['width=0.5', 'depth=1.5']);
  });

  test('the changed rows account for the whole difference in parameters and MACs', () => {
    for (const moves of [['separable', 'gap-head'], ['bottleneck=2', 'fold-bn'], ['width=0.75', 'resolution=192']]) {
      const w = whatIf(getModel('vgg16_bn'), moves);
      for (const key of ['params', 'macs'] as const) {
        const delta = w.changed.reduce((s, c) => s + c.before[key] - c.after[key], 0);
        if (moves.includes('resolution=192') && key === 'macs') continue; // resolution changes every layer's MACs, rows only the input's
        assert.equal(w.before.analysis.totals[key] - w.after.analysis.totals[key], delta, `${moves.join(' ')} ${key}`);
      }
    }
  });
});
