/** `convlab compare`: the lecture's "Comparison so far" table for any set of models. */
import type { Command } from 'commander';
import { analyze } from '../../analysis/analyze.js';
import { compareCsvTable, compareEntry, compareJson, compareReport, SORT_KEYS, sortEntries, type CompareEntry } from '../../report/compare.js';
import { FORMATS } from '../../report/document.js';
import { render } from '../../report/format.js';
import { resolveModel, zooEntry } from '../resolve.js';
import { deliver } from '../output.js';
import { checkOutput } from '../../core/output.js';
import { addAnalysisOptions, analysisOptionsOf, choice } from '../options.js';
import { accuracySpec, drawChart, imageFormat, metricOption } from '../charts.js';

const EXAMPLES = `
Examples:
  $ convlab compare alexnet zfnet vgg16 googlenet          # the lecture's "Comparison so far"
  $ convlab compare resnet50 mobilenet_v2 efficientnet_b0 --sort top1
  $ convlab compare vgg16 resnet50 --convention macs --format md
  $ convlab compare vgg16 resnet50 densenet121 --chart cmp.svg
  $ convlab compare alexnet zfnet vgg16 googlenet resnet152 --chart lecture.png --metric top5
  $ convlab compare my_net.json lenet5 --format csv -o cmp.csv`;

interface CompareFlags {
  sort?: string;
  format: string;
  chart?: string;
  metric?: string;
  out?: string;
  convention: string;
  params: string;
  dtype: string;
}

/** Adds `convlab compare` to the program. */
export function register(program: Command): void {
  const cmd = program
    .command('compare')
    .description('compare models: params, MACs, GFLOPs and published ImageNet error, one row each')
    .argument('<models...>', 'zoo ids or spec .json files');
  addAnalysisOptions(cmd)
    .option('--sort <key>', `sort by ${SORT_KEYS.join(' | ')} (sizes ascending, accuracy best first)`)
    .option('--format <name>', `output format: ${FORMATS.join(' | ')}`, 'table')
    .option('--chart <file>', 'also draw accuracy vs MACs (bubble size = params) to a .svg or .png')
    .option('--metric <name>', 'the chart\'s accuracy: top1 | top5 (default: the one that places the most models; top-5 falls back to ILSVRC entries)')
    .option('-o, --out <file>', 'write the table to a file (atomically) instead of stdout')
    .addHelpText('after', EXAMPLES)
    .action(async (models: string[], o: CompareFlags) => {
      const format = choice('--format', FORMATS, o.format);
      const sort = o.sort === undefined ? undefined : choice('--sort', SORT_KEYS, o.sort);
      const ao = analysisOptionsOf(o);
      if (o.chart) {
        imageFormat(o.chart);
        checkOutput(o.chart);
      }
      if (o.out) checkOutput(o.out);
      let entries: CompareEntry[] = [];
      for (const id of models) {
        const m = await resolveModel(id);
        entries.push(compareEntry(m.label, analyze(m.graph, ao), zooEntry(m)));
      }
      if (sort) entries = sortEntries(entries, sort);
      const text = render(format, { report: () => compareReport(entries), csv: () => compareCsvTable(entries), json: () => compareJson(entries) });
      if (o.chart) await drawChart(accuracySpec(entries, metricOption(o.metric)), o.chart);
      deliver(text, o.out);
    });
}
