/**
 * Finding layers by part of a name or op, as Netron's search does: the query matches anywhere,
 * case aside. Exact names come first, then names that start with the query, then names and
 * ops that contain it; within each, the graph's order.
 */

/** What the search lists: the first matches, and how many there are in all. */
export interface SearchResult {
  matches: Array<{ name: string; op: string }>;
  total: number;
}

/** Most matches listed under the search box. */
export const SEARCH_LIMIT = 50;

/** The layers matching `query` (trimmed, any case), best first, at most `limit` of them listed. */
export function searchLayers(layers: ReadonlyArray<{ name: string; op: string }>, query: string, limit = SEARCH_LIMIT): SearchResult {
  const q = query.trim().toLowerCase();
  if (q === '') return { matches: [], total: 0 };
  const ranks: Array<Array<{ name: string; op: string }>> = [[], [], [], []];
  for (const l of layers) {
    const name = l.name.toLowerCase();
    const rank = name === q ? 0 : name.startsWith(q) ? 1 : name.includes(q) ? 2 : l.op.toLowerCase().includes(q) ? 3 : -1;
    if (rank >= 0) ranks[rank]!.push({ name: l.name, op: l.op });
  }
  const all = ranks.flat();
  return { matches: all.slice(0, limit), total: all.length };
}
