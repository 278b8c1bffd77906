/** `convlab summary`: the per-layer table and totals of one model. */
import type { Command } from 'commander';
import { analyze } from '../../analysis/analyze.js';
import { parseBytes } from '../../analysis/memory.js';
import { UsageError } from '../../core/errors.js';
import { messages } from '../../core/messages.js';
import { OPTIMIZERS, type Optimizer } from '../../core/sets.js';
import { COLUMN_KEYS, DEFAULT_COLUMNS, parseColumns } from '../../report/columns.js';
import { FORMATS } from '../../report/document.js';
import { render } from '../../report/format.js';
import { summarize, summaryCsvTable, summaryJson, summaryReport } from '../../report/summary.js';
import { resolveModel } from '../resolve.js';
import { deliver } from '../output.js';
import { checkOutput } from '../../core/output.js';
import { addAnalysisOptions, addModelOptions, analysisOptionsOf, choice, modelOptionsOf, positiveInt } from '../options.js';

const EXAMPLES = `
Examples:
  $ convlab summary lenet5                              # the lecture's LeNet-5 table
  $ convlab summary resnet50 --group                    # one row per stage: conv1, pool1, conv2 … conv5
  $ convlab summary resnet50 --group --depth 2          #   and the residual blocks inside each stage
  $ convlab summary googlenet --group                   # the nine inception modules, in order
  $ convlab summary zfnet --columns window,shape,params # kernel/stride padding as the lecture writes it: 7×7/2 p1
  $ convlab summary inception_v3 --columns shape,connected --group --depth 2
  $ convlab summary mobilenet --by-op                   # params, MACs and FLOPs per op type
  $ convlab summary resnet50 --columns params,flops,train --batch 32   # training FLOPs per layer
  $ convlab summary vgg16 --convention macs --format md
  $ convlab summary resnet50 --fits 8GiB --batch 64 --optimizer sgd --dtype fp16
  $ convlab summary lenet5 --explain                    # formulas: 28·28·6·5·5·1 = 117,600
  $ convlab summary mobilenet --alpha 0.5 --input 160,160,3
  $ convlab summary resnet50 --no-top --pooling avg --format json > resnet50.json
  $ convlab summary my_net.json --format csv -o my_net.csv

Model options other than --input and --classes (--alpha 0.5, --no-top, --pooling avg, ...)
go to the zoo builder; one the model does not read is an error.`;

interface SummaryFlags {
  input?: string;
  classes?: string;
  batch: string;
  optimizer: string;
  dtype: string;
  fits?: string;
  convention: string;
  params: string;
  format: string;
  explain?: boolean;
  group?: boolean;
  depth?: string;
  byOp?: boolean;
  columns?: string;
  out?: string;
}

/** Adds `convlab summary` to the program. */
export function register(program: Command): void {
  const cmd = program
    .command('summary')
    .description('per-layer table and totals: shapes, params, MACs/FLOPs, memory, receptive field')
    .argument('<model>', 'zoo id (see convlab list) or spec .json file');
  addModelOptions(cmd);
  addAnalysisOptions(cmd)
    .option('--batch <n>', 'batch size for training memory', '32')
    .option('--optimizer <name>', `optimizer state for training memory: ${OPTIMIZERS.join(' | ')}`, 'adam')
    .option('--fits <bytes>', 'print the largest training batch that fits this memory (8GiB, 512MB, 1e9)')
    .option('--format <name>', `output format: ${FORMATS.join(' | ')}`, 'table')
    .option('--explain', 'print the formula behind every number, values substituted')
    .option('--group', 'roll layers up to the blocks the model records (stages, blocks, branches; guessed from names when it records none)')
    .option('--depth <n>', 'with --group: show blocks down to this depth (1 = outermost, as torchinfo)', '1')
    .option('--by-op', 'roll layers up by op type instead: count, params, MACs, FLOPs per op')
    .option('--columns <list>', `table columns, comma-separated: ${COLUMN_KEYS.join(', ')} (default ${DEFAULT_COLUMNS.join(',')})`)
    .option('-o, --out <file>', 'write to a file (atomically) instead of stdout')
    .addHelpText('after', EXAMPLES)
    .action(async (model: string, o: SummaryFlags) => {
      const format = choice('--format', FORMATS, o.format);
      const analysisOptions = analysisOptionsOf(o);
      const batch = positiveInt('--batch', o.batch);
      const optimizer: Optimizer = choice('--optimizer', OPTIMIZERS, o.optimizer);
      const budgetBytes = o.fits === undefined ? undefined : parseBytes(o.fits);
      const depth = positiveInt('--depth', o.depth ?? '1');
      const columns = o.columns === undefined ? undefined : parseColumns(o.columns);
      if (o.group && o.byOp) throw new UsageError(messages.exclusiveOptions('--group', '--by-op'));
      if (o.out) checkOutput(o.out);
      const { graph } = await resolveModel(model, modelOptionsOf(cmd, o));
      const s = summarize(analyze(graph, analysisOptions), {
        batch, optimizer, explain: o.explain ?? false, group: o.group ?? false, depth, byOp: o.byOp ?? false,
        ...(columns ? { columns } : {}),
        ...(budgetBytes !== undefined ? { budgetBytes, budgetText: o.fits! } : {}),
      });
      const text = render(format, { report: () => summaryReport(s), csv: () => summaryCsvTable(s), json: () => summaryJson(s) });
      deliver(text, o.out);
    });
}
