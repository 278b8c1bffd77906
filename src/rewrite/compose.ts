/**
 * Composition of changes over a sequence of moves: a layer rewritten by two moves (width, then
 * separable) is one changed row, from the nodes of the original graph to the nodes of the last.
 */
import type { Change, MoveResult } from './types.js';

/** One row of composed changes, and the moves that made it. */
export interface LoggedChange extends Change {
  moves: string[];
}

/** Accumulates the changes of successive moves, merging those that touch what an earlier move made. */
export class ChangeLog {
  private rows: LoggedChange[] = [];

  /** Adds one move's result; its `from` names are names of the graph the move saw. */
  record(result: MoveResult, move: string): void {
    const renamed = result.renamed;
    if (renamed) for (const r of this.rows) r.to = r.to.map((n) => renamed[n] ?? n);
    for (const c of result.changes) {
      const hit = this.rows.filter((r) => r.to.some((n) => c.from.includes(n)));
      const made = new Set(hit.flatMap((r) => r.to));
      let placed = false;
      const to = hit.flatMap((r) => r.to).flatMap((n) => {
        if (!c.from.includes(n)) return [n];
        if (placed) return [];
        placed = true;
        return c.to;
      });
      const merged: LoggedChange = {
        label: hit[0]?.label ?? c.label,
        detail: [...hit.map((r) => r.detail), c.detail].join('; '),
        moves: [...new Set([...hit.flatMap((r) => r.moves), move])],
        from: [...hit.flatMap((r) => r.from), ...c.from.filter((n) => !made.has(n))],
        to: placed ? to : [...to, ...c.to],
      };
      const at = hit.length ? this.rows.indexOf(hit[0]!) : this.rows.length;
      this.rows = this.rows.filter((r) => !hit.includes(r));
      this.rows.splice(Math.min(at, this.rows.length), 0, merged);
    }
  }

  /** The composed rows, in the order their first change was made. */
  changes(): LoggedChange[] {
    return this.rows.map((r) => ({ ...r, from: [...r.from], to: [...r.to], moves: [...r.moves] }));
  }
}
