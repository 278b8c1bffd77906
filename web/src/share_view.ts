/**
 * The Share button: a link to what is on screen. A zoo model travels as its id and options; an
 * edited or uploaded spec travels compressed inside the link (share.ts), up to a size limit.
 * The link is copied when the browser allows it and always shown in a box to copy from.
 */
import type { App } from './app.js';
import { byId, h } from './dom.js';
import { pageMessages } from './messages.js';
import { bytes } from '../../src/report/units.js';
import { shareSpec } from './share.js';

/** Mounts the Share button's panel. */
export function mountShare(app: App): void {
  const button = byId('share');
  const panel = byId('share-panel');
  const message = h('p', { id: 'share-message', role: 'status' });
  const link = h('input', { type: 'text', id: 'share-link', readonly: true, 'aria-label': 'Link to share' });
  const close = () => {
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  };
  panel.append(
    h('h2', { id: 'share-title' }, 'Share'),
    message,
    link,
    h('div', { class: 'row' }, h('button', { type: 'button', id: 'share-close', onclick: close }, 'Close')),
  );
  panel.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    close();
  });

  const copy = async (url: string): Promise<boolean> => {
    try {
      await navigator.clipboard.writeText(url);
      return true;
    } catch {
      return false;
    }
  };

  button.addEventListener('click', async () => {
    panel.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    const base = `${location.origin}${location.pathname}`;
    const src = app.source;
    link.hidden = false;
    if (src.kind === 'zoo') {
      const url = `${base}#${app.hash()}`;
      link.value = url;
      message.textContent = (await copy(url)) ? pageMessages.shareZooReady() : pageMessages.shareCopyFailed(null);
    } else {
      message.textContent = 'Compressing…';
      const shared = src.shared ? { ok: true as const, encoded: src.shared } : await shareSpec(src.text);
      if (!shared.ok) {
        message.textContent = shared.message;
        link.hidden = true;
      } else {
        const rest = app.hash().split('&').filter((kv) => !kv.startsWith('spec=')).join('&');
        const url = `${base}#${rest}${rest ? '&' : ''}spec=${shared.encoded}`;
        link.value = url;
        const size = bytes(shared.encoded.length);
        message.textContent = (await copy(url)) ? pageMessages.shareReady(size) : pageMessages.shareCopyFailed(size);
      }
    }
    if (!link.hidden) link.select();
    (link.hidden ? byId('share-close') : link).focus();
  });
}
