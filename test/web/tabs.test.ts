/** The view tabs' keys: arrows wrap around, Home and End go to the ends, other keys are left alone. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tabAfterKey } from '../../web/src/tabs.js';

test('tabAfterKey', () => {
  assert.equal(tabAfterKey('graph', 'ArrowRight'), 'table');
  assert.equal(tabAfterKey('graph', 'ArrowLeft'), 'spec');
  assert.equal(tabAfterKey('spec', 'ArrowRight'), 'graph');
  assert.equal(tabAfterKey('charts', 'Home'), 'graph');
  assert.equal(tabAfterKey('charts', 'End'), 'spec');
  assert.equal(tabAfterKey('charts', 'Enter'), null);
});
