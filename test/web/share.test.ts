/** Links that carry a spec: compressed both ways, refused past the limit, and damaged ones named as such. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import { getModel } from '../../src/zoo/index.js';
import { formatSpec } from '../../web/src/spec_text.js';
import { decodeSpec, encodeSpec, shareSpec, SHARE_LIMIT } from '../../web/src/share.js';
import { pageMessages } from '../../web/src/messages.js';
import { bytes } from '../../src/report/units.js';
import { chainSpec } from '../../scripts/synthetic.js';

describe('encodeSpec / decodeSpec', () => {
  test('a spec survives the round trip, compressed into URL-safe characters', async () => {
    const text = formatSpec(getModel('resnet50'));
    const encoded = await encodeSpec(text);
    assert.match(encoded, /^[A-Za-z0-9_-]+$/);
    assert.ok(encoded.length < text.length / 3, `${encoded.length} characters for ${text.length}`);
    assert.equal(await decodeSpec(encoded), text);
  });
  test('non-ASCII names survive', async () => {
    const text = '{"name": "modèle ✓"}';
    assert.equal(await decodeSpec(await encodeSpec(text)), text);
  });
  test('a damaged link is a usage error that says so', async () => {
    const encoded = await encodeSpec(formatSpec(getModel('lenet5')));
    await assert.rejects(decodeSpec(encoded.slice(0, encoded.length / 2)), (e: unknown) => e instanceof UsageError && /cut short or altered/.test(e.message));
    await assert.rejects(decodeSpec('not base64!'), (e: unknown) => e instanceof UsageError && /not base64url/.test(e.message));
  });
});

describe('shareSpec', () => {
  test('a zoo-sized spec fits in a link', async () => {
    const shared = await shareSpec(formatSpec(getModel('resnet50')));
    assert.equal(shared.ok, true);
  });
  test('past the limit, a message with the size and the limit', async () => {
    const text = formatSpec(chainSpec(40_000));
    const shared = await shareSpec(text);
    assert.equal(shared.ok, false);
    if (shared.ok) return;
    const size = (await encodeSpec(text)).length;
    assert.ok(size > SHARE_LIMIT);
    assert.equal(shared.message, pageMessages.shareTooLarge(bytes(size), bytes(SHARE_LIMIT)));
  });
});
