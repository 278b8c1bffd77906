/** The page state's URL form: what a link keeps, and what an unreadable hash falls back to. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pageMessages } from '../../web/src/messages.js';
import { formatHash, parseHash as parseWithProblems, type PageState } from '../../web/src/state.js';

const parseHash = (hash: string, d: PageState): PageState => parseWithProblems(hash, d).state;

const defaults: PageState = {
  zoo: { id: 'resnet50' }, view: 'graph', convention: 'lecture', params: 'keras', dtype: 'fp32',
  colourBy: 'macs', sizeBy: null, batch: 32, optimizer: 'adam', compare: ['vgg16', 'resnet50'], moves: [],
};

describe('parseHash / formatHash', () => {
  test('a full state survives the round trip', () => {
    const s: PageState = {
      zoo: { id: 'mobilenet', input: [160, 160, 3], classes: 10, includeTop: false, extra: { alpha: 0.5 } },
      view: 'charts', convention: 'flops', params: 'torch', dtype: 'fp16', colourBy: 'memory', sizeBy: 'params',
      batch: 64, optimizer: 'momentum', compare: ['mobilenet', 'mobilenet_v2'], moves: ['width=0.5', 'resolution=160,160'],
    };
    assert.deepEqual(parseHash(`#${formatHash(s, defaults)}`, defaults), s);
  });
  test('the defaults write nothing but the model', () => {
    assert.equal(formatHash(defaults, defaults), 'model=resnet50');
  });
  test('size "none" is kept apart from the default', () => {
    const s = { ...defaults, sizeBy: 'macs' as const };
    assert.equal(parseHash(`#${formatHash(s, defaults)}`, defaults).sizeBy, 'macs');
    assert.equal(parseHash('#size=none', { ...defaults, sizeBy: 'macs' }).sizeBy, null);
  });
  const junk: Array<[string, keyof PageState]> = [
    ['#view=nope', 'view'], ['#convention=gflops', 'convention'], ['#batch=-3', 'batch'], ['#batch=2.5', 'batch'],
    ['#dtype=int8', 'dtype'], ['#colour=red', 'colourBy'], ['#size=huge', 'sizeBy'], ['#optimizer=lbfgs', 'optimizer'],
  ];
  for (const [hash, key] of junk) {
    test(`${hash} falls back to the default ${key}, and says so`, () => {
      const { state, problems } = parseWithProblems(hash, defaults);
      assert.deepEqual(state[key], defaults[key]);
      assert.equal(problems.length, 1);
      assert.match(problems[0]!, new RegExp(`^link: ${hash.slice(1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
    });
  }
  test('the messages name the key, the value, what is allowed and what is shown', () => {
    assert.deepEqual(parseWithProblems('#convention=bogus', defaults).problems, [pageMessages.badLinkValue('convention', 'bogus', ['lecture', 'macs', 'flops'], 'lecture')]);
    assert.deepEqual(parseWithProblems('#model=vgg16&classes=0', defaults).problems, [pageMessages.badLinkNumber('classes', '0', 'a whole number of at least 1', 'the default classes')]);
    assert.deepEqual(parseWithProblems('#zoom=3', defaults).problems, [pageMessages.unknownLinkKey('zoom')]);
  });
  test('a valid link has nothing to say', () => {
    assert.deepEqual(parseWithProblems('#model=mobilenet&input=160,160,3&o.alpha=0.5&view=charts&move=separable', defaults).problems, []);
  });
  test('a malformed input size is ignored with a message, the model kept', () => {
    assert.deepEqual(parseHash('#model=vgg16&input=224,x,3', defaults).zoo, { id: 'vgg16' });
    assert.equal(parseWithProblems('#model=vgg16&input=224,0,3', defaults).problems.length, 1);
  });
  test('an empty compare list is kept empty', () => assert.deepEqual(parseHash('#compare=', defaults).compare, []));
});
