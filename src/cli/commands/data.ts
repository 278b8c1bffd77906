/** `convlab data`: list the data sets, describe one on disk, download them. */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { DATASET_NAMES, DATASETS, isDatasetName, type DatasetName } from '../../data/datasets.js';
import { DOWNLOADABLE, type DownloadableName } from '../../data/sources.js';
import { downloadDataset } from '../../data/download_sets.js';
import { progressReporter } from '../progress.js';
import { availableSplits, loadDataset } from '../../data/load.js';
import type { Split } from '../../data/types.js';
import { summarizeSplit, type SplitSummary } from '../../data/summary.js';
import { bytes, int } from '../../report/units.js';
import { messages } from '../../core/messages.js';
import { checkFolder } from '../../core/folders.js';
import { flagOf } from '../options.js';

const INFO_EXAMPLES = `
Examples:
  $ convlab data info mnist --data data            # the folder itself, or a parent holding mnist/
  $ convlab data info digits --data ../shared/data
  $ convlab data info cifar10 --data ../shared/data/cifar10-subset --format json`;

const DOWNLOAD_EXAMPLES = `
A folder that already holds files is refused unless --resume (keep verified files, continue
partial ones) or --force (download every file afresh). An interrupted download keeps <file>.part;
running the same command with --resume continues it.

Examples:
  $ convlab data download mnist --to data/mnist
  $ convlab data download fashion-mnist --to data/fashion-mnist --split test
  $ convlab data download mnist --to data/mnist --resume          # after an interruption
  $ convlab data download mnist --to data/mnist --base-url http://127.0.0.1:8000/mnist/
  $ convlab data download cifar10 --to data/cifar10               # 163 MB archive, unpacked next to it
  $ convlab data download digits --to data/digits

MNIST and Fashion-MNIST are four gzip IDX files each, checked by the MD5 of their content.
CIFAR-10 is its authors' binary archive (checked by its published MD5); its batch files and
class names are unpacked next to it, and the archive stays so a later run verifies it instead of
fetching it again. The digits are UCI's optdigits test set, written as digits.csv.`;

const EXAMPLES = `
Examples:
  $ convlab data list
  $ convlab data download mnist --to data/mnist
  $ convlab data info mnist --data data/mnist`;

function datasetArg(name: string): DatasetName {
  if (!isDatasetName(name)) throw new UsageError(messages.unknownDataset(name, DATASET_NAMES));
  return name;
}

const pad = (s: string, n: number) => s.padEnd(n);
const fixed = (xs: readonly number[], digits = 2) => xs.map((x) => x.toFixed(digits)).join(', ');

function listText(): string {
  const lines = [`${pad('dataset', 15)}${pad('shape', 10)}${pad('classes', 9)}${pad('download', 10)}preprocessing`];
  for (const name of DATASET_NAMES) {
    const d = DATASETS[name];
    lines.push(`${pad(name, 15)}${pad(d.shape.join('×'), 10)}${pad(String(d.classCount), 9)}${pad(d.downloadable ? 'yes' : 'no', 10)}${d.preprocessing.note}`);
  }
  return `${lines.join('\n')}\n`;
}

function infoText(name: DatasetName, classes: string[], splits: SplitSummary[]): string {
  const info = DATASETS[name];
  const out = [`${info.title} (${name})`];
  for (const s of splits) {
    out.push(
      `  ${pad(s.split, 6)}${pad(int(s.count), 9)}${s.shape.join('×')}  pixels ${s.min}..${s.max}, mean ${fixed(s.mean)}, std ${fixed(s.std)}`,
      `        ${s.files.join(', ')}`,
    );
  }
  out.push('', `  ${pad('class', 20)}${splits.map((s) => s.split.padStart(9)).join('')}`);
  classes.forEach((c, k) => out.push(`  ${pad(c === String(k) ? c : `${k} ${c}`, 20)}${splits.map((s) => int(s.histogram[k]!).padStart(9)).join('')}`));
  out.push('', `  preprocessing: ${info.preprocessing.note}`);
  if (info.splitRule) out.push(`  split: ${info.splitRule}`);
  return `${out.join('\n')}\n`;
}

type Write = (text: string) => void;

/** The command's output streams (commander's configureOutput), so tests can capture them. */
function streams(cmd: Command): { out: Write; err: Write } {
  const o = cmd.configureOutput();
  return { out: o.writeOut ?? ((t) => process.stdout.write(t)), err: o.writeErr ?? ((t) => process.stderr.write(t)) };
}

/** Registers `convlab data list | info | download`. */
export function register(program: Command): void {
  const data = program
    .command('data')
    .description('data sets: list them, describe one on disk, download MNIST, Fashion-MNIST, CIFAR-10 or the digits')
    .addHelpText('after', EXAMPLES);

  data
    .command('list')
    .description('the data sets convlab reads: shape, classes, preprocessing')
    .action((_o: unknown, cmd: Command) => {
      streams(cmd).out(listText());
    });

  data
    .command('info')
    .description('counts, shape, pixel statistics and class histogram of a data set on disk')
    .argument('<dataset>', DATASET_NAMES.join(' | '))
    .requiredOption('--data <dir>', 'the data set folder, or a parent holding it (mnist/, cifar10-subset/, ...)')
    .option('--format <format>', 'table | json', 'table')
    .addHelpText('after', INFO_EXAMPLES)
    .action(async (dataset: string, o: { data: string; format: string }, cmd: Command) => {
      const { out } = streams(cmd);
      const name = datasetArg(dataset);
      if (o.format !== 'table' && o.format !== 'json') throw new UsageError(messages.badFormat(o.format));
      const present = availableSplits(name, o.data);
      // With no complete split, loading train gives the error that names the missing file.
      const loaded = await Promise.all((present.length > 0 ? present : (['train'] as const)).map((s) => loadDataset(name, o.data, s)));
      const splits = loaded.map(summarizeSplit);
      const classes = loaded[0]!.classes;
      if (o.format === 'json') {
        out(`${JSON.stringify({ dataset: name, classes, splits, preprocessing: DATASETS[name].preprocessing }, null, 2)}\n`);
      } else {
        out(infoText(name, classes, splits));
      }
    });

  data
    .command('download')
    .description('download MNIST, Fashion-MNIST, CIFAR-10 or the digits with resume and MD5 verification')
    .argument('<dataset>', DOWNLOADABLE.join(' | '))
    .requiredOption('--to <dir>', 'folder to write the data set\'s files into (created if missing)')
    .option('--base-url <url>', 'fetch from this base URL instead of the public mirrors')
    .option('--split <split>', 'only the files of one split: train | test (the digits are one file)')
    .option('--resume', 'continue in a folder that already holds files: keep verified ones, resume partial ones')
    .option('--force', 'download every file afresh into a folder that already holds them')
    .addHelpText('after', DOWNLOAD_EXAMPLES)
    .action(async (dataset: string, o: { to: string; baseUrl?: string; split?: string; resume?: boolean; force?: boolean }, cmd: Command) => {
      const { out, err } = streams(cmd);
      if (!(DOWNLOADABLE as readonly string[]).includes(dataset)) throw new UsageError(messages.notDownloadable(dataset, DOWNLOADABLE));
      checkFolder(o.to, 'download folder', { resume: Boolean(o.resume), force: Boolean(o.force) }, flagOf);
      const progress = progressReporter(err);
      const controller = new AbortController();
      const interrupt = () => controller.abort();
      process.once('SIGINT', interrupt);
      try {
        const result = await downloadDataset(dataset as DownloadableName, o.to, {
          ...(o.baseUrl !== undefined ? { baseUrl: o.baseUrl } : {}),
          ...(o.split !== undefined ? { splits: [o.split as Split] } : {}),
          onProgress: (p) => progress.update(`[${p.index + 1}/${p.files}] ${p.file}`, p),
          signal: controller.signal,
          ...(o.force && !o.resume ? { fresh: true } : {}),
        });
        for (const f of result.files) {
          out(`${f.path}  ${f.status}  ${bytes(f.bytes)}  md5 ${f.md5}${f.url ? `  from ${f.url}` : ''}\n`);
        }
      } finally {
        progress.stop();
        process.off('SIGINT', interrupt);
      }
    });
}
