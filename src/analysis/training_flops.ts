/**
 * Training cost of one step, per layer: the forward pass, then the backward pass as two parts,
 * the gradient with respect to the layer's input and the gradient with respect to its weights.
 * Each op's rule (`backward` in src/ops) says what its parts cost; this module decides which
 * parts a step computes, as frameworks do: no input gradient for a layer that nothing trainable
 * feeds (the first conv), no weight gradient for a layer without trainable weights.
 */
import { formatNumber } from '../core/format.js';
import type { Convention } from '../core/sets.js';
import type { ResolvedNode } from '../graph/graph.js';
import { exactValue, explain, zero, type Explained } from '../ops/formula.js';
import type { OpContext } from '../ops/types.js';
import { big, countOf, type Counted } from './exact.js';

/** The backward pass of one layer, each part with its formula; a part the step skips is zero. */
export interface BackwardParts {
  input: Explained;
  weights: Explained;
}

/** What a layer's backward pass computes: the input gradient (something trainable feeds it) and the weight gradient (it has trainable weights). */
export interface GradientNeeds {
  input: boolean;
  weights: boolean;
}

/** The backward parts of a node under a convention; `forward` is its forward FLOPs formula, which the `forward` rule repeats. */
export function backwardParts(node: ResolvedNode, ctx: OpContext<unknown>, convention: Convention, forward: Explained, needs: GradientNeeds): BackwardParts {
  const none = explain(zero);
  const rule = node.def.backward;
  if (rule === 'free') return { input: none, weights: none };
  if (rule === 'forward') return { input: needs.input ? forward : none, weights: none };
  const cost = rule(ctx, convention);
  return { input: needs.input ? explain(cost.input) : none, weights: needs.weights ? explain(cost.weights) : none };
}

/** Forward plus backward as one explained figure: `forward + ∂input + ∂weights = 117,600 + 0 + 117,600 = 235,200`. */
export function trainingExplained(forward: Explained, b: BackwardParts): Explained {
  const value = forward.value + b.input.value + b.weights.value;
  const exact = Number.isSafeInteger(value) ? undefined : big(exactValue(forward)) + big(exactValue(b.input)) + big(exactValue(b.weights));
  const formula = 'forward + ∂input + ∂weights';
  // Joined, so the text is one flat string (see explain).
  const text = [`${formatNumber(exactValue(forward))} + ${formatNumber(exactValue(b.input))} + ${formatNumber(exactValue(b.weights))}`, formatNumber(exact ?? value)].join(' = ');
  return exact === undefined ? { value, formula, text } : { value, exact, formula, text };
}

/**
 * Which tensors depend on trainable weights, walking nodes in topological order: a node's output
 * does when the node has trainable weights or reads such a tensor. A node needs its input
 * gradient exactly when it reads one.
 */
export class GradientFlow {
  private readonly trained = new Set<string>();

  /** The needs of the next node (in topological order), recording whether its output depends on trainable weights. */
  next(node: ResolvedNode, trainableParams: number): GradientNeeds {
    const input = node.inputs.some((i) => this.trained.has(i));
    const weights = trainableParams > 0;
    if (input || weights) this.trained.add(node.name);
    return { input, weights };
  }
}

/** FLOPs of one training step of `batch` samples: forward and backward of every sample; a bigint past 2^53. */
export function stepFlops(totals: Counted, batch: number): number | bigint {
  const x = batch * totals.trainingFlops;
  return Number.isSafeInteger(x) ? x : BigInt(batch) * big(countOf(totals, 'trainingFlops'));
}
