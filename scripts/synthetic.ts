/** Synthetic graphs of any size: chains as specs or as the block finder's layers, for the size tests and bench/web_load.ts. */
import type { GraphSpec, NodeSpec } from '../src/graph/types.js';
import type { NamedLayer } from '../web/src/blocks.js';

/** A chain of `n` layers (`layer0` … ) cycling conv, BN and ReLU on a small map, as a spec. */
export function chainSpec(n: number): GraphSpec {
  const nodes: NodeSpec[] = [];
  let prev = 'input';
  for (let i = 0; i < n; i++) {
    const name = `layer${i}`;
    const k = i % 3;
    if (k === 0) nodes.push({ name, op: 'Conv2D', inputs: [prev], attrs: { filters: 4, kernelSize: 3, padding: 'same' } });
    else if (k === 1) nodes.push({ name, op: 'BatchNorm', inputs: [prev] });
    else nodes.push({ name, op: 'Activation', inputs: [prev], attrs: { fn: 'relu' } });
    prev = name;
  }
  return { name: `chain${n}`, inputs: [{ name: 'input', shape: [8, 8, 4] }], nodes, outputs: [prev] };
}

/** A chain of `n` layers as the block finder sees it, without building or analysing anything. */
export const chainLayers = (n: number): NamedLayer[] => Array.from({ length: n }, (_, i) => ({ name: `layer${i}`, inputs: i === 0 ? [] : [`layer${i - 1}`] }));
