/**
 * The spec editor and the page's links, at both window sizes: each kind of spec error is marked
 * on its own line in the gutter and named under the editor, covering no text; JSON syntax errors
 * give line and column; a cycle prints as the cycle; bytes are never echoed. Link values and
 * option boxes the page cannot use give a visible message, a search with no match says so, and
 * Share makes a link that opens an edited spec, or says why it cannot.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { analyze } from '../../src/analysis/analyze.js';
import { bytes, int } from '../../src/report/units.js';
import { getModel } from '../../src/zoo/index.js';
import { pageMessages } from '../../web/src/messages.js';
import { SHARE_LIMIT } from '../../web/src/share.js';
import { run } from '../../web/src/source.js';
import { formatSpec } from '../../web/src/spec_text.js';
import { browserSuite, paste, shot, type Size, visit } from './browser_kit.js';
import { resolveGraph } from '../../src/graph/graph.js';
import { messages } from '../../src/core/messages.js';

/** A small spec in the editor's one-node-per-line layout. */
const specText = (nodes: Array<{ name: string; op: string; inputs: string[] }>, outputs: string[]) =>
  formatSpec({ name: 'm', inputs: [{ name: 'in', shape: [8, 8, 1] }], nodes, outputs });

/** The 1-based numbers of the lines with `needle`. */
const linesWith = (text: string, needle: string) => text.split('\n').flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));

/** The library's message for a text, as the page shows it. */
function expectedMessage(text: string): string {
  const r = run({ kind: 'text', name: 'edited spec', text }, {});
  assert.equal(r.ok, false, 'the text must be refused');
  return r.ok ? '' : r.problem.message;
}

/** Types a spec into the editor and waits for its error line; returns what the page shows. */
async function showError(page: Page, text: string): Promise<{ where: string; text: string; gutter: string[]; covers: boolean }> {
  await page.fill('#spec-text', text);
  await page.waitForFunction((t) => document.querySelector('#spec-message .text')?.textContent === t, expectedMessage(text));
  return page.evaluate(() => {
    const message = document.querySelector('#spec-message')!.getBoundingClientRect();
    const editor = document.querySelector('#view-spec .editor')!.getBoundingClientRect();
    return {
      where: document.querySelector('#spec-message .where')!.textContent!,
      text: document.querySelector('#spec-message .text')!.textContent!,
      gutter: Array.from(document.querySelectorAll("#view-spec .gutter mark"), (m) => m.textContent!),
      // The message must sit under the editor, not over its lines.
      covers: message.top < editor.bottom - 0.5 && message.bottom > editor.top,
    };
  });
}

/** Opens the sidebar on a phone, where it folds away. */
async function sidebar(page: Page, size: Size, open: boolean): Promise<void> {
  if (!size.mobile) return;
  const isOpen = (await page.getAttribute('#sidebar-toggle', 'aria-expanded')) === 'true';
  if (isOpen !== open) await page.click('#sidebar-toggle');
}

browserSuite('spec editor and links', { open: async (page, url) => {
  await visit(page, `${url}#model=lenet5&view=spec`);
} }, (s, size) => {
  test('a JSON syntax error: line and column, what was expected, its line marked, no text covered', async () => {
    const text = specText([{ name: 'a', op: 'Flatten', inputs: ['in'] }], ['a']).replace('"op": "Flatten"', '"op" "Flatten"');
    const line = linesWith(text, '"op" "Flatten"')[0]!;
    const column = text.split('\n')[line - 1]!.indexOf('"op" "Flatten"') + '"op" '.length + 1;
    const shown = await showError(s.page, text);
    assert.equal(shown.where, `line ${line}, column ${column}: `);
    assert.match(shown.text, new RegExp(`not valid JSON \\(line ${line}, column ${column}: expected ":"`));
    assert.deepEqual(shown.gutter, [String(line)]);
    assert.equal(shown.covers, false, 'the message covers the editor');
    await shot(s.page, `editor-${size.name}-syntax`);
  });

  test('a duplicate name marks the second node of that name', async () => {
    const text = specText([{ name: 'a', op: 'Flatten', inputs: ['in'] }, { name: 'b', op: 'Flatten', inputs: ['a'] }, { name: 'a', op: 'Flatten', inputs: ['b'] }], ['a']);
    const second = linesWith(text, '"name": "a"')[1]!;
    const shown = await showError(s.page, text);
    assert.equal(shown.where, `node a · line ${second}: `);
    assert.match(shown.text, /duplicate name "a"/);
    assert.deepEqual(shown.gutter, [String(second)]);
    assert.equal(shown.covers, false);
  });

  test('a cycle prints as the cycle, marked at its first node', async () => {
    const text = specText([{ name: 'a', op: 'Flatten', inputs: ['b'] }, { name: 'b', op: 'Flatten', inputs: ['a'] }, { name: 'c', op: 'Flatten', inputs: ['b'] }], ['c']);
    const shown = await showError(s.page, text);
    assert.equal(shown.text, messages.cycle(['a', 'b', 'a']));
    assert.deepEqual(shown.gutter, linesWith(text, '"name": "a"').map(String));
    assert.equal(shown.covers, false);
    await shot(s.page, `editor-${size.name}-cycle`);
  });

  test('random bytes: the message names the first character by its code, never echoes it', async () => {
    const junk = '\u0001\u00ff\u00fePK\u0003\u0004 \u0007garbage';
    const shown = await showError(s.page, junk);
    assert.equal(shown.where, 'line 1, column 1: ');
    assert.match(shown.text, /found U\+0001/);
    // No control character, and none of the junk's own letters.
    assert.doesNotMatch(shown.text, /[\u0000-\u001f\u00fe\u00ff]|garbage|PK/);
  });

  test('link values the page cannot use are named in a notice above every view', async () => {
    await visit(s.page, `${s.url}#model=doesnotexist&convention=bogus&view=graph`);
    await s.page.waitForSelector('#page-notice:not([hidden])');
    const notice = (await s.page.textContent('#page-notice'))!;
    assert.match(notice, /there is no zoo model "doesnotexist"/);
    assert.match(notice, /convention=bogus is not one of lecture, macs, flops/);
    await shot(s.page, `links-${size.name}-notice`);
    await s.page.click('#page-notice .close');
    assert.equal(await s.page.isHidden('#page-notice'), true);
  });

  test('H = 0 in the options is refused beside the box, and the model stays as it was', async () => {
    await visit(s.page, `${s.url}#model=lenet5`);
    await s.page.waitForFunction(() => document.querySelector('#totals h2')?.textContent?.startsWith('lenet5'));
    const params = await s.page.textContent('#totals dd[data-total=params]');
    await sidebar(s.page, size, true);
    await s.page.fill('#opt-h', '0');
    await s.page.press('#opt-h', 'Enter');
    await s.page.waitForFunction((t) => document.querySelector('#input-problem')?.textContent === t, pageMessages.badNumberInput('H', '0'));
    assert.equal(await s.page.getAttribute('#opt-h', 'aria-invalid'), 'true');
    assert.equal(await s.page.textContent('#totals dd[data-total=params]'), params);
    await shot(s.page, `links-${size.name}-bad-input`);
    await s.page.fill('#opt-h', '32');
    await s.page.press('#opt-h', 'Enter');
    await s.page.waitForFunction(() => document.querySelector('#input-problem')?.textContent === '');
    await sidebar(s.page, size, false);
  });

  test('Find layer with no match says so', async () => {
    await s.page.fill('#find-layer', 'zzz');
    await s.page.waitForFunction((t) => document.querySelector('#find-layer-note')?.textContent === t, pageMessages.noLayerMatches('zzz'));
    assert.equal(await s.page.isHidden('#find-layer-list'), true);
    await s.page.fill('#find-layer', '');
  });

  test('Share carries an edited spec: the link opens the same model in a new tab', async () => {
    const spec = getModel('lenet5');
    const edited = { ...spec, name: 'lenet5_wide', nodes: spec.nodes.map((n) => (n.name === 'conv1' ? { ...n, attrs: { ...n.attrs, filters: 12 } } : n)) };
    const expected = analyze(resolveGraph(edited));
    await s.page.click('#tab-spec');
    await s.page.fill('#spec-text', formatSpec(edited));
    await s.page.waitForFunction((p) => document.querySelector('#totals dd[data-total=params]')?.textContent === p, int(expected.totals.params));
    await s.page.click('#share');
    const url = await s.page.waitForFunction(() => {
      const v = (document.querySelector('#share-link') as HTMLInputElement | null)?.value ?? '';
      return v.includes('spec=') ? v : null;
    });
    const link = (await url.jsonValue()) as string;
    assert.ok(link.length < SHARE_LIMIT + 200, `${link.length} characters`);
    await shot(s.page, `links-${size.name}-share`);
    await s.page.keyboard.press('Escape');

    const other = await s.page.context().newPage();
    try {
      await visit(other, link);
      await other.waitForFunction((p) => document.querySelector('#totals dd[data-total=params]')?.textContent === p, int(expected.totals.params));
      assert.match((await other.textContent('#totals h2'))!, /^lenet5_wide/);
      assert.equal(await other.textContent('#totals dd[data-total=macs]'), int(expected.totals.macs));
    } finally {
      await other.close();
    }
  });

  test('Share refuses a spec past the link limit with a message and no link', async () => {
    // Names drawn at random do not compress: 6,000 of them pass 64 KiB of link text.
    const nodes = Array.from({ length: 6000 }, () => Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2));
    const big = { name: 'noise', inputs: [{ name: 'in', shape: [4] }], nodes: nodes.map((name, i) => ({ name, op: 'Flatten', inputs: [i ? nodes[i - 1]! : 'in'] })), outputs: [nodes.at(-1)!] };
    await paste(s.page, '#spec-text', formatSpec(big));
    await s.page.waitForFunction(() => document.querySelector('#totals h2')?.textContent?.startsWith('noise'), undefined, { timeout: 60_000 });
    await s.page.click('#share');
    await s.page.waitForFunction((limit) => document.querySelector('#share-message')?.textContent?.includes(`over the ${limit} a link carries`), bytes(SHARE_LIMIT));
    assert.equal(await s.page.isHidden('#share-link'), true);
    await shot(s.page, `links-${size.name}-share-too-large`);
    await s.page.keyboard.press('Escape');
    assert.equal(await s.page.isHidden('#share-panel'), true);
  });

});
