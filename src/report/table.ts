/** The terminal table: Keras' summary layout with convlab's extra columns. */
import type { Analysis } from '../analysis/analyze.js';
import { bytes, human, int, shape } from './units.js';

/** Renders a fixed-width text table of an analysis. */
export function formatTable(a: Analysis): string {
  const head = ['Layer (type)', 'Output shape', 'Param #', a.convention === 'macs' ? 'MACs' : `FLOPs (${a.convention})`, 'Act. mem', 'RF'];
  const rows = a.layers.map((r) => [
    `${r.name} (${r.op})`,
    shape(r.outputShape),
    int(r.params),
    human(r.flops),
    bytes(r.activationBytes),
    r.receptiveField.size[0] === r.receptiveField.size[1] ? `${r.receptiveField.size[0]}` : `${r.receptiveField.size[0]}×${r.receptiveField.size[1]}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const rule = '─'.repeat(widths.reduce((s, w) => s + w + 2, -2));
  const t = a.totals;
  return [
    `Model: "${a.model}"  input ${shape(a.input)}  convention ${a.convention}  params ${a.paramsConvention}`,
    rule, line(head), rule, ...rows.map(line), rule,
    `Total params: ${int(t.params)}  (trainable ${int(t.trainableParams)}, non-trainable ${int(t.nonTrainableParams)})`,
    `MACs: ${int(t.macs)} (${human(t.macs)})   FLOPs (${a.convention}): ${int(t.flops)} (${human(t.flops)})`,
    `Params: ${bytes(t.paramBytes)}   Activations: ${bytes(t.activationBytes)}   Inference peak: ${bytes(t.inferencePeakBytes)}`,
    '',
  ].join('\n');
}
