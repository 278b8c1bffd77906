/** Synthetic data files and temporary folders for the data tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/** An IDX file: big-endian magic, dims, then the data bytes. */
export function idxBytes(magic: number, dims: number[], data: Uint8Array | number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

/** A CIFAR-10 record: the label, then R, G, B planes where plane c holds f(c, pixel). */
export function cifarRecord(label: number, f: (c: number, p: number) => number): Buffer {
  const rec = Buffer.alloc(3073);
  rec[0] = label;
  for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) rec[1 + c * 1024 + p] = f(c, p) & 0xff;
  return rec;
}

/** A fresh folder under os.tmpdir(), removed when the test file ends. */
export function tempDir(prefix = 'convlab-data-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
