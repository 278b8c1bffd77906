/**
 * The layer search: a combobox that lists layers whose name or op contains what is typed
 * (search_model.ts), says how many match or that none does, and hands the chosen layer to the
 * view. Arrow keys move through the list, Enter picks, Escape closes the list.
 */
import { h } from './dom.js';
import { pageMessages } from './messages.js';
import { searchLayers } from './search_model.js';

/** A mounted search box: its elements, a way to focus it (Ctrl+F), and one to count again for a new model. */
export interface LayerSearch {
  root: HTMLElement;
  input: HTMLInputElement;
  focus(): void;
  /** Counts the matches of what is typed among the layers now on screen, leaving the list closed. */
  refresh(): void;
}

/** Builds the search over the layers `layers()` returns; `onPick` gets the chosen layer's name. */
export function layerSearch(id: string, layers: () => ReadonlyArray<{ name: string; op: string }>, onPick: (name: string) => void): LayerSearch {
  const listId = `${id}-list`;
  const input = h('input', {
    type: 'search', id, placeholder: 'Find layer (Ctrl+F)…', 'aria-label': 'Find layer by part of its name or op', autocomplete: 'off',
    role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId,
  });
  const list = h('ul', { id: listId, role: 'listbox', class: 'search-list', 'aria-label': 'Matching layers', hidden: true });
  const note = h('span', { class: 'search-note', role: 'status', id: `${id}-note` });
  let names: string[] = [];
  let active = -1;

  const setActive = (i: number) => {
    active = i;
    list.querySelectorAll('[aria-selected]').forEach((li) => li.setAttribute('aria-selected', 'false'));
    const li = i >= 0 ? list.children[i] : undefined;
    if (li) {
      li.setAttribute('aria-selected', 'true');
      li.scrollIntoView({ block: 'nearest' });
      input.setAttribute('aria-activedescendant', li.id);
    } else input.removeAttribute('aria-activedescendant');
  };
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    setActive(-1);
  };
  const pick = (i: number) => {
    const name = names[i];
    if (name === undefined) return;
    close();
    onPick(name);
  };
  const update = () => {
    const query = input.value;
    if (query.trim() === '') {
      names = [];
      note.textContent = '';
      list.replaceChildren();
      return close();
    }
    const found = searchLayers(layers(), query);
    names = found.matches.map((m) => m.name);
    note.textContent = found.total === 0 ? pageMessages.noLayerMatches(query.trim()) : pageMessages.layerMatches(found.matches.length, found.total);
    note.classList.toggle('none', found.total === 0);
    list.replaceChildren(...found.matches.map((m, i) =>
      h('li', { role: 'option', id: `${id}-opt-${i}`, 'aria-selected': 'false', onmousedown: (e: Event) => (e.preventDefault(), pick(i)) },
        h('span', { class: 'name' }, m.name), h('span', { class: 'muted' }, ` ${m.op}`))));
    list.hidden = names.length === 0;
    input.setAttribute('aria-expanded', String(!list.hidden));
    setActive(-1);
  };

  input.addEventListener('input', update);
  input.addEventListener('focus', () => input.value.trim() && update());
  input.addEventListener('blur', close);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (list.hidden) update();
      const n = names.length;
      if (n) setActive(e.key === 'ArrowDown' ? (active + 1) % n : (active - 1 + n) % n);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (names.length === 0) update();
      pick(active >= 0 ? active : 0);
    } else if (e.key === 'Escape' && !list.hidden) {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  });

  const root = h('div', { class: 'search' }, input, list, note);
  const refresh = () => {
    if (input.value.trim() === '') return;
    update();
    close();
  };
  return { root, input, focus: () => (input.focus(), input.select()), refresh };
}
