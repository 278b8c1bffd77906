/**
 * Blocks from name scopes. PyTorch's exporter names each ONNX node by the module path that made
 * it (`/layer1/layer1.0/conv1/Conv`), TensorFlow's by its name scopes (`model/block1/conv/Conv2D`):
 * the scopes are the model's own nesting, so they become the nodes' blocks. The last segment is
 * the op; the one before it is a leaf module (one layer, as `conv1`) unless other nodes sit deeper
 * inside it (`layer1.0`, whose Add has no module of its own). A scope every node shares (a
 * wrapper such as `StatefulPartitionedCall/model`) says nothing and is dropped.
 */

const segmentsOf = (name: string): string[] => name.split('/').filter((s) => s !== '');

/** The enclosing blocks of each named node, outermost first, in the order given; [] for a node outside every scope. */
export function scopeBlocks(names: readonly string[]): string[][] {
  const modules = names.map((n) => segmentsOf(n).slice(0, -1));
  const scoped = modules.filter((m) => m.length > 0);
  if (scoped.length === 0) return modules;
  let shared = scoped[0]!.length;
  for (const m of scoped) {
    let k = 0;
    while (k < shared && k < m.length && m[k] === scoped[0]![k]) k++;
    shared = k;
  }
  const trimmed = modules.map((m) => m.slice(Math.min(shared, m.length)));
  const inner = new Set<string>();
  for (const m of trimmed) for (let d = 1; d < m.length; d++) inner.add(JSON.stringify(m.slice(0, d)));
  return trimmed.map((m) => (m.length > 0 && !inner.has(JSON.stringify(m)) ? m.slice(0, -1) : m));
}
