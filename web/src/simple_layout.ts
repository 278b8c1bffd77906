/**
 * A plain layered layout for when ELK cannot finish: too many boxes for its time budget, or a
 * graph deep enough to overflow its recursion. Each container (the root, an open block's frame)
 * is laid out on its own, innermost first: its children go into layers by longest path, each
 * layer ordered by where its inputs sit, and every edge gets an orthogonal route from the bottom
 * of its source to the top of its target. Loops only, no recursion, linear in boxes and edges
 * apart from one sort per layer; it reads and writes ELK's JSON so the drawing code is the same.
 */
import { BOX, type ElkGraph, type ElkSection } from './graph_model.js';

/** Counts the boxes and frames of an ELK graph without recursion. */
export function countNodes(g: ElkGraph): number {
  let n = 0;
  const stack = [...(g.children ?? [])];
  while (stack.length > 0) {
    const c = stack.pop()!;
    n++;
    if (c.children) stack.push(...c.children);
  }
  return n;
}

/** Gaps between layers and between boxes in a layer, as the ELK options ask for. */
const GAP = { layer: 28, node: 18 } as const;

/** Where each node's box sits relative to its container, and the container of each node. */
interface Placement {
  parent: Map<string, ElkGraph | null>;
  node: Map<string, ElkGraph>;
}

/** Containers listed so that every frame comes before the frame or root holding it. */
function innermostFirst(root: ElkGraph, p: Placement): ElkGraph[] {
  const order: ElkGraph[] = [];
  const stack: ElkGraph[] = [root];
  p.parent.set(root.id, null);
  p.node.set(root.id, root);
  while (stack.length > 0) {
    const g = stack.pop()!;
    order.push(g);
    for (const c of g.children ?? []) {
      p.parent.set(c.id, g);
      p.node.set(c.id, c);
      if (c.children) stack.push(c);
    }
  }
  return order.reverse();
}

/** The containers around a node, the root first, the node itself last. */
function chainOf(id: string, p: Placement): ElkGraph[] {
  const chain: ElkGraph[] = [];
  for (let n: ElkGraph | null | undefined = p.node.get(id); n; n = p.parent.get(n.id)) chain.push(n);
  return chain.reverse();
}

/**
 * Each edge as a pair of siblings: the children of the innermost container holding both ends
 * that hold either end, listed under that container's id.
 */
function siblingEdges(edges: ReadonlyArray<readonly [string, string]>, p: Placement): Map<string, Array<[string, string]>> {
  const out = new Map<string, Array<[string, string]>>();
  for (const [s, t] of edges) {
    const a = chainOf(s, p);
    const b = chainOf(t, p);
    let k = 0;
    while (k < a.length && k < b.length && a[k] === b[k]) k++;
    if (k === 0 || k >= a.length || k >= b.length) continue;
    const list = out.get(a[k - 1]!.id);
    const pair: [string, string] = [a[k]!.id, b[k]!.id];
    if (list) list.push(pair);
    else out.set(a[k - 1]!.id, [pair]);
  }
  return out;
}

/** Lays out one container's children (their sizes known) and sets its own size. */
function layoutContainer(g: ElkGraph, edges: ReadonlyArray<readonly [string, string]>, isRoot: boolean): void {
  const kids = g.children ?? [];
  const index = new Map(kids.map((k, i) => [k.id, i]));
  const preds: number[][] = kids.map(() => []);
  for (const [a, b] of edges) {
    const i = index.get(a)!;
    const j = index.get(b)!;
    // Children arrive in topological order; an edge pointing back (a cycle made by collapsing) is left out.
    if (i < j) preds[j]!.push(i);
  }
  const layer = kids.map(() => 0);
  for (let j = 0; j < kids.length; j++) for (const i of preds[j]!) layer[j] = Math.max(layer[j]!, layer[i]! + 1);
  const layers: number[][] = [];
  kids.forEach((_, j) => (layers[layer[j]!] ??= []).push(j));

  const centre = kids.map(() => 0);
  const pad = isRoot ? { top: 12, side: 12, bottom: 12 } : { top: BOX.frameTop, side: BOX.framePad, bottom: BOX.framePad };
  let y = pad.top;
  let width = 0;
  const rows: Array<{ members: number[]; width: number; y: number }> = [];
  for (const members of layers) {
    if (!members) continue;
    // Under the mean position of their inputs, so chains stay straight and branches fan out.
    const key = (j: number) => (preds[j]!.length ? preds[j]!.reduce((s, i) => s + centre[i]!, 0) / preds[j]!.length : j);
    members.sort((a, b) => key(a) - key(b) || a - b);
    let x = 0;
    let height = 0;
    for (const j of members) {
      const k = kids[j]!;
      k.x = x;
      centre[j] = x + (k.width ?? 0) / 2;
      x += (k.width ?? 0) + GAP.node;
      height = Math.max(height, k.height ?? 0);
    }
    const rowWidth = x - GAP.node;
    rows.push({ members, width: rowWidth, y });
    width = Math.max(width, rowWidth);
    y += height + GAP.layer;
  }
  // Centre each layer under the widest one.
  for (const row of rows) {
    const shift = pad.side + (width - row.width) / 2;
    for (const j of row.members) {
      kids[j]!.x = (kids[j]!.x ?? 0) + shift;
      kids[j]!.y = row.y;
    }
  }
  g.width = width + 2 * pad.side;
  g.height = Math.max(y - GAP.layer, pad.top) + pad.bottom;
}

/** Moves every box from coordinates relative to its container to coordinates of the root. */
function toRoot(root: ElkGraph): void {
  const stack: Array<[ElkGraph, number, number]> = (root.children ?? []).map((c) => [c, 0, 0]);
  while (stack.length > 0) {
    const [n, dx, dy] = stack.pop()!;
    n.x = (n.x ?? 0) + dx;
    n.y = (n.y ?? 0) + dy;
    for (const c of n.children ?? []) stack.push([c, n.x, n.y]);
  }
}

/** An orthogonal route: down from the source, across halfway to the target's layer, down into it. */
function route(s: ElkGraph, t: ElkGraph): ElkSection {
  const start = { x: (s.x ?? 0) + (s.width ?? 0) / 2, y: (s.y ?? 0) + (s.height ?? 0) };
  const end = { x: (t.x ?? 0) + (t.width ?? 0) / 2, y: t.y ?? 0 };
  if (Math.abs(start.x - end.x) < 0.5) return { startPoint: start, endPoint: { x: start.x, y: end.y } };
  const mid = end.y > start.y ? end.y - GAP.layer / 2 : start.y + GAP.layer / 2;
  return { startPoint: start, endPoint: end, bendPoints: [{ x: start.x, y: mid }, { x: end.x, y: mid }] };
}

/**
 * Lays out an ELK graph (root, open frames as compound children, edges on the root) and returns
 * it with every position, size and edge route filled in, in root coordinates as the page asks
 * ELK for. The graph given is changed in place.
 */
export function simpleLayout(root: ElkGraph): ElkGraph {
  const p: Placement = { parent: new Map(), node: new Map() };
  const order = innermostFirst(root, p);
  const byContainer = siblingEdges((root.edges ?? []).map((e) => [e.sources[0]!, e.targets[0]!] as const), p);
  for (const g of order) layoutContainer(g, byContainer.get(g.id) ?? [], g === root);
  toRoot(root);
  for (const e of root.edges ?? []) {
    const s = p.node.get(e.sources[0]!);
    const t = p.node.get(e.targets[0]!);
    if (s && t) e.sections = [route(s, t)];
  }
  return root;
}
