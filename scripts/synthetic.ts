/** Synthetic graphs of any size: chains as specs or as the block finder's layers, for the size tests and bench/web_load.ts. */
import type { GraphSpec, NodeSpec } from '../src/graph/types.js';
import type { NamedLayer } from '../web/src/blocks.js';

/**
 * A chain of `n` layers (`layer0` … ) cycling conv, BN and ReLU, as a spec: by default on a small
 * map (8×8×4, 4 filters), or on the map and with the filters given.
 */
export function chainSpec(n: number, o: { shape?: [number, number, number]; filters?: number } = {}): GraphSpec {
  const shape = o.shape ?? [8, 8, 4];
  const nodes: NodeSpec[] = [];
  let prev = 'input';
  for (let i = 0; i < n; i++) {
    const name = `layer${i}`;
    const k = i % 3;
    if (k === 0) nodes.push({ name, op: 'Conv2D', inputs: [prev], attrs: { filters: o.filters ?? 4, kernelSize: 3, padding: 'same' } });
    else if (k === 1) nodes.push({ name, op: 'BatchNorm', inputs: [prev] });
    else nodes.push({ name, op: 'Activation', inputs: [prev], attrs: { fn: 'relu' } });
    prev = name;
  }
  return { name: `chain${n}`, inputs: [{ name: 'input', shape }], nodes, outputs: [prev] };
}

/** A chain of `n` layers as the block finder sees it, without building or analysing anything. */
export const chainLayers = (n: number): NamedLayer[] => Array.from({ length: n }, (_, i) => ({ name: `layer${i}`, inputs: i === 0 ? [] : [`layer${i - 1}`] }));
