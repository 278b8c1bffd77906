/** `convlab explain`: the formula behind every number of a model or of chosen layers, values substituted. */
import type { Command } from 'commander';
import { analyze } from '../../analysis/analyze.js';
import { type LayerRow } from '../../analysis/types.js';
import { OPTIMIZERS, type Optimizer } from '../../core/sets.js';
import { UsageError } from '../../core/errors.js';
import { nearest } from '../../core/suggest.js';
import { toJson } from '../../report/json.js';
import { formulaSections, layerFormulas, summarize } from '../../report/summary.js';
import { resolveModel } from '../resolve.js';
import { deliver } from '../output.js';
import { addAnalysisOptions, addModelOptions, analysisOptionsOf, choice, modelOptionsOf, positiveInt } from '../options.js';
import { messages } from '../../core/messages.js';

const EXAMPLES = `
Examples:
  $ convlab explain lenet5                       # every layer that costs something, then the step's FLOPs and memory
  $ convlab explain lenet5 conv1 pool1           #   conv1 (Conv2D)
                                                 #     MACs      hout·wout·K·fh·fw·cin = 28·28·6·5·5·1 = 117,600
  $ convlab explain resnet50 conv2_block1_2_conv     # forward, ∂input and ∂weights: a training step's three parts
  $ convlab explain resnet50 conv1_conv conv2_block1_1_bn --params torch
  $ convlab explain vgg16 fc1 --convention flops --format json`;

const FORMATS = ['text', 'json'] as const;

interface ExplainFlags {
  input?: string;
  classes?: string;
  convention: string;
  params: string;
  dtype: string;
  batch: string;
  optimizer: string;
  format: string;
}

/** Adds `convlab explain` to the program. */
export function register(program: Command): void {
  const cmd = program
    .command('explain')
    .description('show the formulas behind params, MACs, FLOPs, training FLOPs, receptive field and training memory, values substituted')
    .argument('<model>', 'zoo id or spec .json file')
    .argument('[layers...]', 'layer names (default: every layer with a cost)');
  addModelOptions(cmd);
  addAnalysisOptions(cmd)
    .option('--batch <n>', 'batch size for the training-memory formula', '32')
    .option('--optimizer <name>', OPTIMIZERS.join(' | '), 'adam')
    .option('--format <name>', `output format: ${FORMATS.join(' | ')}`, 'text')
    .addHelpText('after', EXAMPLES)
    .action(async (model: string, layers: string[], o: ExplainFlags) => {
      const format = choice('--format', FORMATS, o.format);
      const ao = analysisOptionsOf(o);
      const batch = positiveInt('--batch', o.batch);
      const optimizer: Optimizer = choice('--optimizer', OPTIMIZERS, o.optimizer);
      const { graph } = await resolveModel(model, modelOptionsOf(cmd, o));
      const a = analyze(graph, ao);
      const byName = new Map(a.layers.map((r) => [r.name, r]));
      const chosen: LayerRow[] = layers.map((name) => {
        const r = byName.get(name);
        if (!r) throw new UsageError(messages.unknownLayer(model, name, nearest(name, [...byName.keys()], 3)));
        return r;
      });
      if (format === 'json') {
        const rows = chosen.length ? chosen : a.layers;
        const doc = {
          model: a.model, convention: a.convention, paramsConvention: a.paramsConvention,
          layers: rows.map((r) => {
            const { params, macs, flops, backward, training } = r.explain;
            return { name: r.name, op: r.op, params, macs, flops, backward, training, receptiveField: r.receptiveField };
          }),
        };
        deliver(`${toJson(doc)}\n`);
        return;
      }
      const s = summarize(a, { batch, optimizer });
      const [formulas, ...totals] = formulaSections(s);
      const lines = chosen.length ? chosen.flatMap((r) => layerFormulas(r, a.convention, true)) : formulas!.lines;
      const out = [`${a.model}: ${formulas!.title.replace(/^Formulas /, 'formulas ')}`, ...lines];
      // The step's FLOPs and memory are sums over every layer: shown only when every layer is.
      if (!chosen.length) for (const t of totals) out.push('', t.title, ...t.lines);
      deliver(`${out.join('\n')}\n`);
    });
}
