/** `convlab chart`: comparison, per-layer, memory and sweep charts as SVG or PNG. */
import type { Command } from 'commander';
import type { TopLevelSpec } from 'vega-lite';
import { analyze, type Analysis, type AnalyzeOptions } from '../../analysis/analyze.js';
import { UsageError } from '../../graph/errors.js';
import { accuracyChart, CHART_KINDS, layersChart, memoryChart, sweepChart, type ChartKind, type ModelPoint, type SweepPoint } from '../../report/charts.js';
import { listModels, type ModelMeta, type ModelOptions } from '../../zoo/index.js';
import { resolveModel } from '../load.js';
import { cliMessages } from '../messages.js';
import { checkWritable, writeAtomic } from '../output.js';
import { addAnalysisOptions, addModelOptions, analysisOptionsOf, choice, modelOptionsOf, parseModelArgs } from '../options.js';

const EXAMPLES = `
Examples:
  $ convlab chart accuracy -o zoo.svg                         # every zoo model with a published accuracy
  $ convlab chart accuracy vgg16 resnet50 mobilenet_v2 efficientnet_b0 -o compare.png
  $ convlab chart layers vgg16 -o vgg16_layers.svg            # most params in FC, most compute in conv
  $ convlab chart layers resnet50 --group -o resnet50_blocks.png
  $ convlab chart memory vgg16 resnet50 -o memory.svg
  $ convlab chart sweep mobilenet --sweep alpha=0.25,0.5,0.75,1 -o alpha.svg
  $ convlab chart sweep mobilenet --sweep input=128,160,192,224 -o rho.png
  $ convlab chart sweep efficientnet_b0 efficientnet_b1 efficientnet_b2 efficientnet_b3 -o phi.svg

The output format follows the file name: .svg or .png.`;

interface ChartFlags {
  out: string;
  metric: string;
  group?: boolean;
  sweep?: string;
  input?: string;
  classes?: string;
  convention: string;
  params: string;
  dtype: string;
}

/** The image format from the output name. */
export function imageFormat(path: string): 'svg' | 'png' {
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext !== 'svg' && ext !== 'png') throw new UsageError(cliMessages.outputExtension(path, ['svg', 'png']));
  return ext;
}

/** A model's point on a comparison chart. */
export function modelPoint(m: { label: string; meta?: ModelMeta }, a: Analysis): ModelPoint {
  return {
    model: m.label, family: m.meta?.family ?? 'spec file', macs: a.totals.macs, params: a.totals.params,
    ...(m.meta?.accuracy?.top1 !== undefined ? { top1: m.meta.accuracy.top1 } : {}),
    ...(m.meta?.accuracy?.top5 !== undefined ? { top5: m.meta.accuracy.top5 } : {}),
  };
}

/** The accuracy chart of the given models, noting on stderr those without a published figure. */
export function accuracySpec(points: ModelPoint[], metric: 'top1' | 'top5'): TopLevelSpec {
  const missing = points.filter((p) => p[metric] === undefined).map((p) => p.model);
  if (missing.length === points.length) throw new UsageError(cliMessages.chartNoAccuracy(missing));
  if (missing.length) process.stderr.write(`${cliMessages.skippedNoAccuracy(missing)}\n`);
  return accuracyChart(points, { metric });
}

/** Parses `--sweep name=v1,v2,...` into one option set per value, with its axis label. */
function sweepOptions(text: string, base: ModelOptions, channels: number): { name: string; points: Array<{ label: string; options: ModelOptions }> } {
  const m = /^([A-Za-z][A-Za-z0-9-]*)=(.+)$/.exec(text);
  const values = m?.[2]!.split(',').map((v) => v.trim()) ?? [];
  if (!m || values.length < 2 || values.some((v) => v === '')) throw new UsageError(cliMessages.sweepSyntax(text));
  const name = m[1]!;
  const points = values.map((v) => {
    if (name === 'input' || name === 'resolution') {
      const size = Number(v);
      if (!Number.isInteger(size) || size < 1) throw new UsageError(cliMessages.sweepSyntax(text));
      return { label: `${size}×${size}`, options: { ...base, input: [size, size, channels] } };
    }
    const opts = parseModelArgs([`--${name}=${v}`]);
    return { label: `${name === 'alpha' ? 'α' : name}=${v}`, options: { ...base, ...opts } };
  });
  return { name, points };
}

/** The longest prefix ending in `_` that every id shares, or '' (ids stay whole). */
function commonPrefix(ids: string[]): string {
  let p = ids[0] ?? '';
  for (const id of ids) while (!id.startsWith(p)) p = p.slice(0, -1);
  const cut = p.lastIndexOf('_') + 1;
  return ids.every((id) => id.length > cut) ? p.slice(0, cut) : '';
}

const SWEEP_AXES: Record<string, string> = {
  alpha: 'width multiplier α',
  input: 'input resolution (ρ)',
  resolution: 'input resolution (ρ)',
};

async function sweepSpec(models: string[], o: ChartFlags, base: ModelOptions, ao: AnalyzeOptions): Promise<TopLevelSpec> {
  if (o.sweep) {
    if (models.length !== 1) throw new UsageError(cliMessages.sweepNeedsOne(models.length));
    const first = await resolveModel(models[0]!, base);
    const channels = first.spec.inputs[0]!.shape[2] ?? 3;
    const { name, points } = sweepOptions(o.sweep, base, channels);
    const built: SweepPoint[] = [];
    for (const p of points) {
      const a = analyze((await resolveModel(models[0]!, p.options)).spec, ao);
      built.push({ label: p.label, macs: a.totals.macs, params: a.totals.params });
    }
    const axis = SWEEP_AXES[name] ?? name;
    return sweepChart(built, { title: `${models[0]}: ${axis} sweep`, axis: axis[0]!.toUpperCase() + axis.slice(1) });
  }
  if (models.length < 2) throw new UsageError(cliMessages.sweepTooFew(models.length));
  // A family's members share a prefix (efficientnet_b0 … b7): the axis names it once.
  const prefix = commonPrefix(models);
  const built: SweepPoint[] = [];
  for (const id of models) {
    const m = await resolveModel(id, base);
    const a = analyze(m.spec, ao);
    built.push({ label: id.slice(prefix.length), macs: a.totals.macs, params: a.totals.params, ...(m.meta?.accuracy?.top1 !== undefined ? { top1: m.meta.accuracy.top1 } : {}) });
  }
  return sweepChart(built, { title: `${models[0]} … ${models[models.length - 1]}: one point per model`, axis: prefix ? `Model (${prefix}…)` : 'Model' });
}

/** Builds the spec a kind asks for. */
async function chartSpec(kind: ChartKind, models: string[], o: ChartFlags, base: ModelOptions): Promise<TopLevelSpec> {
  const ao = analysisOptionsOf(o);
  const load = async (id: string) => {
    const m = await resolveModel(id, base);
    return { m, a: analyze(m.spec, ao) };
  };
  switch (kind) {
    case 'accuracy': {
      const ids = models.length ? models : listModels().filter((m) => m.accuracy).map((m) => m.id);
      const points: ModelPoint[] = [];
      for (const id of ids) {
        const { m, a } = await load(id);
        points.push(modelPoint(m, a));
      }
      return accuracySpec(points, choice('--metric', ['top1', 'top5'] as const, o.metric));
    }
    case 'layers': {
      if (models.length !== 1) throw new UsageError(cliMessages.chartOneModel(kind, models.length));
      const { a } = await load(models[0]!);
      const plotted = a.layers.filter((r) => r.params > 0 || r.flops > 0).length;
      return layersChart(a, { group: o.group ?? plotted > 60 });
    }
    case 'memory': {
      if (models.length === 0) throw new UsageError(cliMessages.chartNeedsModels(kind));
      const analyses: Analysis[] = [];
      for (const id of models) analyses.push((await load(id)).a);
      return memoryChart(analyses);
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
    .option('--metric <name>', 'accuracy chart: top1 | top5', 'top1')
    .option('--group', 'layers chart: roll layers up to blocks (default when more than 60 layers have a cost)')
    .option('--no-group', 'layers chart: one bar per layer, however many')
    .option('--sweep <name=values>', 'sweep chart: rebuild one model per value, e.g. alpha=0.25,0.5,0.75,1 or input=128,160,192,224')
    .addHelpText('after', EXAMPLES)
    .action(async (kindArg: string, models: string[], o: ChartFlags) => {
      const kind = choice('chart kind', CHART_KINDS, kindArg);
      const format = imageFormat(o.out);
      checkWritable(o.out);
      const spec = await chartSpec(kind, models, o, modelOptionsOf(cmd, o));
      const { renderChart } = await import('../../report/render.js');
      const { data, warnings } = await renderChart(spec, format);
      for (const w of warnings) process.stderr.write(`convlab: chart warning: ${w}\n`);
      writeAtomic(o.out, data);
      process.stdout.write(`${cliMessages.wrote(o.out, typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength)}\n`);
    });
}
