/** `convlab summary`: the per-layer table and totals of one model. */
import type { Command } from 'commander';
import { analyze } from '../../analysis/index.js';
import { formatTable } from '../../report/table.js';
import { loadModel } from '../load.js';

export function register(program: Command): void {
  program
    .command('summary')
    .description('per-layer table and totals: shapes, params, MACs/FLOPs, memory, receptive field')
    .argument('<model>', 'zoo id, spec .json file')
    .option('--convention <name>', 'FLOP convention: lecture | macs | flops', 'lecture')
    .option('--params <name>', 'parameter convention: keras | torch', 'keras')
    .action(async (model: string, o: { convention: 'lecture' | 'macs' | 'flops'; params: 'keras' | 'torch' }) => {
      const spec = await loadModel(model);
      const a = analyze(spec, { convention: o.convention, params: o.params });
      process.stdout.write(formatTable(a));
    });
}
