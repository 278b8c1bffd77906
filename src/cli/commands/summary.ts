/** `convlab summary`: the per-layer table and totals of one model. */
import type { Command } from 'commander';
import { analyze } from '../../analysis/analyze.js';
import { parseBytes } from '../../analysis/memory.js';
import { OPTIMIZERS, type Optimizer } from '../../core/sets.js';
import { FORMATS } from '../../report/document.js';
import { render } from '../../report/format.js';
import { summarize, summaryCsvTable, summaryJson, summaryReport } from '../../report/summary.js';
import { resolveModel } from '../resolve.js';
import { checkWritable, deliver } from '../output.js';
import { addAnalysisOptions, addModelOptions, analysisOptionsOf, choice, modelOptionsOf, positiveInt } from '../options.js';

const EXAMPLES = `
Examples:
  $ convlab summary lenet5                              # the lecture's LeNet-5 table
  $ convlab summary resnet50 --group                    # one row per block (conv2_block1, ...)
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
    .option('--group', 'roll layers up to blocks by name prefix (conv2_block1, ...)')
    .option('-o, --out <file>', 'write to a file (atomically) instead of stdout')
    .addHelpText('after', EXAMPLES)
    .action(async (model: string, o: SummaryFlags) => {
      const format = choice('--format', FORMATS, o.format);
      const analysisOptions = analysisOptionsOf(o);
      const batch = positiveInt('--batch', o.batch);
      const optimizer: Optimizer = choice('--optimizer', OPTIMIZERS, o.optimizer);
      const budgetBytes = o.fits === undefined ? undefined : parseBytes(o.fits);
      if (o.out) checkWritable(o.out);
      const { graph } = await resolveModel(model, modelOptionsOf(cmd, o));
      const s = summarize(analyze(graph, analysisOptions), {
        batch, optimizer, explain: o.explain ?? false, group: o.group ?? false,
        ...(budgetBytes !== undefined ? { budgetBytes, budgetText: o.fits! } : {}),
      });
      const text = render(format, { report: () => summaryReport(s), csv: () => summaryCsvTable(s), json: () => summaryJson(s) });
      deliver(text, o.out);
    });
}
