/** What `convlab train` shows while it trains, whichever engine runs: the progress bar, epoch lines, Ctrl-C. */
import cliProgress from 'cli-progress';
import { int } from '../../report/units.js';
import type { Preprocessing } from '../../runtime/tfjs/data.js';
import type { EpochRecord, Progress } from '../../runtime/tfjs/train.js';

export type Write = (text: string) => void;

/** A fraction as a percentage with two decimals. */
export const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/** The line saying what is trained on: sample counts, input, and how pixels were prepared. */
export function dataLine(dataset: string, train: number, validation: number | undefined, input: readonly number[], pre: Preprocessing): string {
  const standardized = pre.mean ? `standardized (mean ${pre.mean.map((m) => m.toFixed(4)).join(', ')}, std ${pre.std!.map((m) => m.toFixed(4)).join(', ')})` : 'pixels in [0, 1]';
  return `${dataset}: ${int(train)} training samples${validation !== undefined ? `, ${int(validation)} for validation` : ''}, input ${input.join('×')}, ${standardized}\n`;
}

/** A progress bar on a terminal (stderr) and one line per epoch on stdout. */
export function trainingReport(o: { progress: boolean; epochs: number }, out: Write) {
  const bar = o.progress && process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { format: 'epoch {epoch} |{bar}| {value}/{total} | loss {loss} | acc {acc} | {speed} samples/s', stream: process.stderr, hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let barEpoch = 0;
  return {
    onProgress(p: Progress): void {
      if (!bar) return;
      const payload = { epoch: `${p.epoch}/${p.epochs}`, loss: p.loss.toFixed(4), acc: pct(p.accuracy), speed: Math.round(p.samplesPerSecond) };
      if (barEpoch !== p.epoch) {
        if (barEpoch) bar.stop();
        bar.start(p.batches, p.batch, payload);
        barEpoch = p.epoch;
      } else bar.update(p.batch, payload);
    },
    onEpoch(r: EpochRecord): void {
      bar?.stop();
      barEpoch = 0;
      const val = r.valLoss !== undefined ? `  val_loss ${r.valLoss.toFixed(4)}  val_acc ${pct(r.valAccuracy!)}` : '';
      out(`epoch ${r.epoch}/${o.epochs}  lr ${r.lr.toPrecision(3)}  loss ${r.loss.toFixed(4)}  acc ${pct(r.accuracy)}${val}  ${Math.round(r.samplesPerSecond)} samples/s  ${r.seconds.toFixed(1)} s\n`);
    },
    stop(): void {
      bar?.stop();
    },
  };
}

/**
 * Ctrl-C asks the trainer to stop after its batch and save (the signal aborts); a second Ctrl-C
 * quits at once. `release` removes the handler.
 */
export function stopOnCtrlC(err: Write): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    err('\nstopping after this batch to save a checkpoint (Ctrl-C again to quit now)\n');
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, release: () => process.off('SIGINT', onSigint) };
}
