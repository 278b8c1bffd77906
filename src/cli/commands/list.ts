/** `convlab list`: the zoo ids with family, year, and params and MACs computed by analysing each model. */
import type { Command } from 'commander';
import { analyze } from '../../analysis/analyze.js';
import { FORMATS } from '../../report/document.js';
import { render } from '../../report/format.js';
import { listCsvTable, listJson, listReport, type ListEntry } from '../../report/list.js';
import { resolveGraph } from '../../graph/graph.js';
import { getModel, listModels } from '../../zoo/index.js';
import { deliver } from '../output.js';
import { choice } from '../options.js';

const EXAMPLES = `
Examples:
  $ convlab list
  $ convlab list --family resnet
  $ convlab list --match efficientnet --format md
  $ convlab list --format json | jq '.models[] | {id, params}'`;

/** Adds `convlab list` to the program. */
export function register(program: Command): void {
  program
    .command('list')
    .description('zoo ids with family, year, input, params and MACs (computed by analysing each model)')
    .option('--family <name>', 'only this family (resnet, mobilenet, ...)')
    .option('--match <text>', 'only ids containing this text')
    .option('--format <name>', `output format: ${FORMATS.join(' | ')}`, 'table')
    .addHelpText('after', EXAMPLES)
    .action((o: { family?: string; match?: string; format: string }) => {
      const format = choice('--format', FORMATS, o.format);
      const filter = { ...(o.family ? { family: o.family } : {}), ...(o.match ? { match: o.match } : {}) };
      const entries: ListEntry[] = listModels(filter).map((meta) => ({ meta, analysis: analyze(resolveGraph(getModel(meta.id))) }));
      deliver(render(format, { report: () => listReport(entries), csv: () => listCsvTable(entries), json: () => listJson(entries) }));
    });
}
