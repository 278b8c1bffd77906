/** `convlab chart`: comparison, per-layer, memory and sweep charts as SVG or PNG. */
import type { Command } from 'commander';
import type { TopLevelSpec } from 'vega-lite';
import { analyze } from '../../analysis/analyze.js';
import { type Analysis, type AnalyzeOptions } from '../../analysis/types.js';
import { UsageError } from '../../core/errors.js';
import { CHART_KINDS, layersChart, memoryChart, sweepChart, type ChartKind, type SweepPoint } from '../../report/charts.js';
import { compareEntry, type CompareEntry } from '../../report/compare.js';
import { GROUP_ABOVE, groupsByDefault, MIN_BLOCKS } from '../../report/group.js';
import { NO_FAMILY } from '../../report/points.js';
import { familySweep, optionSweep, resolutionSweep, sweepPoint, type SweepPlan } from '../../report/sweeps.js';
import { listModels, type ModelOptions } from '../../zoo/index.js';
import { resolveModel, zooEntry } from '../resolve.js';
import { accuracySpec, drawChart, imageFormat, metricOption } from '../charts.js';
import { checkOutput } from '../../core/output.js';
import { noteWrote } from '../output.js';
import { addAnalysisOptions, addModelOptions, analysisOptionsOf, choice, modelOptionsOf, parseModelArgs, positiveInt } from '../options.js';
import { messages } from '../../core/messages.js';

const EXAMPLES = `
Examples:
  $ convlab chart accuracy -o zoo.svg                         # every zoo model with a published accuracy
  $ convlab chart accuracy vgg16 resnet50 mobilenet_v2 efficientnet_b0 -o compare.png
  $ convlab chart layers vgg16 -o vgg16_layers.svg            # most params in FC, most compute in conv
  $ convlab chart layers resnet50 --group -o resnet50_blocks.png       # its sixteen residual blocks
  $ convlab chart layers resnet50 --group --depth 1 -o stages.png     # conv2 … conv5
  $ convlab chart accuracy alexnet zfnet vgg16 googlenet resnet152 --metric top5 -o lecture.png
  $ convlab chart memory vgg16 resnet50 -o memory.svg
  $ convlab chart sweep mobilenet --sweep alpha=0.25,0.5,0.75,1 -o alpha.svg
  $ convlab chart sweep mobilenet --sweep input=128,160,192,224 -o rho.png
  $ convlab chart sweep efficientnet_b0 efficientnet_b1 efficientnet_b2 efficientnet_b3 -o phi.svg

The output format follows the file name: .svg or .png.`;

interface ChartFlags {
  out: string;
  metric?: string;
  group?: boolean;
  depth?: string;
  sweep?: string;
  input?: string;
  classes?: string;
  convention: string;
  params: string;
  dtype: string;
}

/** Plans `--sweep name=v1,v2,...` for one model: square inputs for input/resolution, else the builder option at each value. */
function optionPlan(model: string, text: string, base: ModelOptions, channels: number): SweepPlan {
  const m = /^([A-Za-z][A-Za-z0-9-]*)=(.+)$/.exec(text);
  const values = m?.[2]!.split(',').map((v) => v.trim()) ?? [];
  if (!m || values.length < 2 || values.some((v) => v === '')) throw new UsageError(messages.sweepSyntax(text));
  const name = m[1]!;
  if (name === 'input' || name === 'resolution') {
    const sizes = values.map(Number);
    if (sizes.some((size) => !Number.isInteger(size) || size < 1)) throw new UsageError(messages.sweepSyntax(text));
    return resolutionSweep(model, sizes, channels, base);
  }
  return optionSweep(model, name, values.map((v) => ({ text: v, options: parseModelArgs([`--${name}=${v}`]) })), base);
}

async function sweepSpec(models: string[], o: ChartFlags, base: ModelOptions, ao: AnalyzeOptions): Promise<TopLevelSpec> {
  let plan: SweepPlan;
  if (o.sweep) {
    if (models.length !== 1) throw new UsageError(messages.sweepNeedsOne(models.length));
    const first = await resolveModel(models[0]!, base);
    plan = optionPlan(models[0]!, o.sweep, base, first.graph.inputs[0]!.shape[2] ?? 3);
  } else {
    if (models.length < 2) throw new UsageError(messages.sweepTooFew(models.length));
    plan = familySweep(models, base);
  }
  const points: SweepPoint[] = [];
  for (const step of plan.steps) {
    const m = await resolveModel(step.model, step.options);
    points.push(sweepPoint(plan, step, analyze(m.graph, ao), zooEntry(m)));
  }
  return sweepChart(points, { title: plan.title, axis: plan.axis });
}

/** Builds the spec a kind asks for. */
async function chartSpec(kind: ChartKind, models: string[], o: ChartFlags, base: ModelOptions): Promise<TopLevelSpec> {
  const ao = analysisOptionsOf(o);
  const load = async (id: string) => {
    const m = await resolveModel(id, base);
    const entry = zooEntry(m);
    return { m: { label: m.label, ...(entry ? { meta: entry } : {}) }, a: analyze(m.graph, ao) };
  };
  switch (kind) {
    case 'accuracy': {
      const ids = models.length ? models : listModels().filter((m) => m.accuracy).map((m) => m.id);
      const entries: CompareEntry[] = [];
      for (const id of ids) {
        const { m, a } = await load(id);
        entries.push(compareEntry(m.label, a, m.meta));
      }
      return accuracySpec(entries, metricOption(o.metric));
    }
    case 'layers': {
      if (models.length !== 1) throw new UsageError(messages.chartOneModel(kind, models.length));
      const { a } = await load(models[0]!);
      return layersChart(a, { group: o.group ?? groupsByDefault(a), ...(o.depth ? { depth: positiveInt('--depth', o.depth) } : {}) });
    }
    case 'memory': {
      if (models.length === 0) throw new UsageError(messages.chartNeedsModels(kind));
      const analyses: Analysis[] = [];
      const families: string[] = [];
      for (const id of models) {
        const { m, a } = await load(id);
        analyses.push(a);
        families.push(m.meta?.family ?? NO_FAMILY);
      }
      return memoryChart(analyses, { families });
    }
    case 'sweep':
      return sweepSpec(models, o, base, ao);
  }
}

/** Adds `convlab chart` to the program. */
export function register(program: Command): void {
  const cmd = program
    .command('chart')
    .description('draw a chart to SVG or PNG: accuracy vs MACs, per-layer params/FLOPs, memory along depth, sweeps')
    .argument('<kind>', `chart kind: ${CHART_KINDS.join(' | ')}`)
    .argument('[models...]', 'zoo ids or spec .json files (accuracy: default every zoo model with a published accuracy)');
  addModelOptions(cmd);
  addAnalysisOptions(cmd)
    .requiredOption('-o, --out <file>', 'output file: .svg or .png')
    .option('--metric <name>', 'accuracy chart: top1 | top5 (default: the one that places the most models)')
    .option('--group', `layers chart: roll layers up to blocks (default when more than ${GROUP_ABOVE} layers have a cost and some depth has ${MIN_BLOCKS} or more blocks)`)
    .option('--depth <n>', 'layers chart with --group: the block depth to roll up to (default: the shallowest with enough blocks)')
    .option('--no-group', 'layers chart: one bar per layer, however many')
    .option('--sweep <name=values>', 'sweep chart: rebuild one model per value, e.g. alpha=0.25,0.5,0.75,1 or input=128,160,192,224')
    .addHelpText('after', EXAMPLES)
    .action(async (kindArg: string, models: string[], o: ChartFlags) => {
      const kind = choice('chart kind', CHART_KINDS, kindArg);
      imageFormat(o.out);
      checkOutput(o.out);
      const spec = await chartSpec(kind, models, o, modelOptionsOf(cmd, o));
      noteWrote(o.out, await drawChart(spec, o.out));
    });
}
