/**
 * NASNet-A as Keras Applications defines it: a strided 3×3 stem, two stem reduction cells, then
 * three stacks of N normal cells separated by reduction cells, each stack doubling the width.
 * Mobile and Large are NASNet-A (N @ P) with P penultimate filters; the entries pass only those.
 */
import { GraphBuilder, type Tensor } from '../graph/builder.js';
import { UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { GraphSpec } from '../graph/types.js';
import { rejectUnknownOptions } from './family_options.js';
import { kerasOptions, kerasTop } from './keras_app.js';
import { nasnetNormalCell, nasnetReductionCell } from './nasnet_cells.js';
import { registerModel, type ModelMeta, type ModelOptions } from './registry.js';

/** The arguments of Keras' NASNet(): NASNet-A (numBlocks @ penultimateFilters). */
export interface NASNetConfig {
  penultimateFilters: number;
  numBlocks: number;
  stemBlockFilters: number;
  /** Large: after a reduction cell the next cell keeps reading the pre-reduction `p`. */
  skipReduction: boolean;
  filterMultiplier: number;
  defaultSize: number;
}

export const NASNET_CONFIGS = {
  nasnet_mobile: { penultimateFilters: 1056, numBlocks: 4, stemBlockFilters: 32, skipReduction: false, filterMultiplier: 2, defaultSize: 224 },
  nasnet_large: { penultimateFilters: 4032, numBlocks: 6, stemBlockFilters: 96, skipReduction: true, filterMultiplier: 2, defaultSize: 331 },
} as const satisfies Record<string, NASNetConfig>;

export type NASNetId = keyof typeof NASNET_CONFIGS;

/** Builds a NASNet-A with Keras' layer names (stem_conv1, normal_concat_0, reduction_concat_reduce_4, predictions, ...). */
export function nasnet(id: string, c: NASNetConfig, options: ModelOptions = {}): GraphSpec {
  rejectUnknownOptions(id, options, []);
  const o = kerasOptions(options, { model: id, defaultSize: c.defaultSize, minSize: 32 });
  const m = c.filterMultiplier;
  if (c.penultimateFilters % (24 * m * m) !== 0) {
    throw new UsageError(messages.modelOption(id, 'penultimateFilters', `a multiple of 24·filterMultiplier² = ${24 * m * m}`, c.penultimateFilters));
  }
  const filters = Math.floor(c.penultimateFilters / 24);
  const b = new GraphBuilder(id);
  let x: Tensor = b.input(o.input, 'input');
  x = b.scope('stem', () =>
    b.batchNorm(b.conv2d(x, { filters: c.stemBlockFilters, kernelSize: 3, strides: 2, useBias: false, name: 'stem_conv1' }), { momentum: 0.9997, epsilon: 1e-3, name: 'stem_bn1' }));

  let cell = nasnetReductionCell(b, x, null, Math.floor(filters / (m * m)), 'stem_1');
  cell = nasnetReductionCell(b, cell.x, cell.p, Math.floor(filters / m), 'stem_2');
  const n = c.numBlocks;
  for (let stack = 0; stack < 3; stack++) {
    const width = filters * m ** stack;
    if (stack > 0) {
      const reduced = nasnetReductionCell(b, cell.x, cell.p, width, `reduce_${stack * n}`);
      cell = { x: reduced.x, p: c.skipReduction ? cell.p : reduced.p };
    }
    for (let i = 0; i < n; i++) {
      // Keras numbers normal cells 0…N-1, then N+1…2N, then 2N+1…3N: ids N and 2N go to the reductions.
      const blockId = String(stack === 0 ? i : stack * n + i + 1);
      cell = nasnetNormalCell(b, cell.x, cell.p, width, blockId);
    }
  }
  const out = b.activation(cell.x, 'relu');
  return b.build(kerasTop(b, out, o));
}

const ENTRIES: Record<NASNetId, { title: string; top1: number; top5: number }> = {
  nasnet_mobile: { title: 'NASNet-A (4 @ 1056), 224×224', top1: 0.744, top5: 0.919 },
  nasnet_large: { title: 'NASNet-A (6 @ 4032), 331×331', top1: 0.825, top5: 0.96 },
};

for (const id of Object.keys(NASNET_CONFIGS) as NASNetId[]) {
  const config: NASNetConfig = NASNET_CONFIGS[id];
  const e = ENTRIES[id];
  const meta: ModelMeta = {
    id,
    family: 'nasnet',
    year: 2017,
    paper: { title: 'Learning Transferable Architectures for Scalable Image Recognition', url: 'https://arxiv.org/abs/1707.07012' },
    input: [config.defaultSize, config.defaultSize, 3],
    classes: 1000,
    accuracy: { top1: e.top1, top5: e.top5, source: 'Keras Applications table (keras.io/api/applications)' },
    licence: 'Apache-2.0 (keras-team/keras, keras/src/applications/nasnet.py)',
    reference: 'keras',
    preprocessing: { mode: 'tf', scale: 1 / 127.5, mean: [1, 1, 1], std: [1, 1, 1] },
    description: `${e.title}: cells found by architecture search`,
  };
  registerModel(meta, (options) => nasnet(id, config, options));
}
