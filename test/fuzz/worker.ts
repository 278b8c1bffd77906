/**
 * Runs fuzz cases for test/fuzz/readers.test.ts in a worker thread, so the test can stop a case
 * that hangs. Each case names the reader it feeds; the outcome says whether it read, or how it failed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { ConvlabError } from '../../src/core/errors.js';
import { parseCifar } from '../../src/data/cifar.js';
import { parseDigitsCsv } from '../../src/data/digits.js';
import { gunzipBytes, isGzip } from '../../src/data/files.js';
import { parseIdxImages, parseIdxLabels } from '../../src/data/idx.js';
import { decodeImage } from '../../src/image/decode.js';
import { importModel } from '../../src/import/index.js';
import { readTrainedDirectory } from '../../src/import/trained.js';
import { readKerasFile } from '../../src/weights/keras_files.js';

/** The readers fuzzed, by name. */
export const READERS = ['model.json layers', 'model.json graph', 'weights manifest', 'keras h5', 'keras archive', 'png', 'jpeg', 'idx images', 'idx labels', 'cifar', 'digits csv'] as const;
export type ReaderName = (typeof READERS)[number];

/** One mutated input: the bytes, and for a model folder the other files beside them. */
export interface FuzzCase {
  reader: ReaderName;
  label: string;
  bytes: Uint8Array;
  files?: Array<[string, Uint8Array]>;
}

/** What became of a case. */
export interface FuzzOutcome {
  index: number;
  read: boolean;
  error?: string;
  convlab?: boolean;
  message?: string;
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const unzipped = async (b: Uint8Array, label: string) => (isGzip(b) ? new Uint8Array(await gunzipBytes(b, label)) : b);

/** Feeds one case to its reader; a model folder is written to a fresh temporary folder first. */
async function read(c: FuzzCase, scratch: string): Promise<void> {
  switch (c.reader) {
    case 'model.json layers':
    case 'model.json graph':
      importModel(c.bytes, { source: c.label });
      return;
    case 'weights manifest': {
      const dir = join(scratch, 'run');
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
      writeFileSync(join(dir, 'model.json'), c.bytes);
      for (const [name, bytes] of c.files ?? []) writeFileSync(join(dir, name), bytes);
      readTrainedDirectory(dir);
      return;
    }
    case 'keras h5':
    case 'keras archive': {
      // h5wasm opens files by path, so the bytes go to a file named as Keras names them.
      const file = join(scratch, c.reader === 'keras h5' ? 'case.weights.h5' : 'case.keras');
      writeFileSync(file, c.bytes);
      await readKerasFile(file);
      return;
    }
    case 'png':
    case 'jpeg':
      decodeImage(c.bytes, c.label);
      return;
    case 'idx images':
      parseIdxImages(await unzipped(c.bytes, c.label), c.label);
      return;
    case 'idx labels':
      parseIdxLabels(await unzipped(c.bytes, c.label), c.label, 10);
      return;
    case 'cifar':
      parseCifar(await unzipped(c.bytes, c.label), c.label);
      return;
    case 'digits csv':
      parseDigitsCsv(text(await unzipped(c.bytes, c.label)), c.label);
  }
}

async function runCase(c: FuzzCase, index: number, scratch: string): Promise<FuzzOutcome> {
  try {
    await read(c, scratch);
    return { index, read: true };
  } catch (e) {
    const err = e as Error;
    return { index, read: false, error: err?.constructor?.name ?? typeof e, convlab: e instanceof ConvlabError, message: String(err?.message ?? e) };
  }
}

// Loaded by the test runner as well (it runs every file under test/); only a worker has a parent port.
if (parentPort) {
  const port = parentPort;
  const scratch = mkdtempSync(join(tmpdir(), 'convlab-fuzz-'));
  port.on('message', async (cases: FuzzCase[]) => {
    for (const [i, c] of cases.entries()) {
      port.postMessage({ started: i });
      port.postMessage(await runCase({ ...c, bytes: new Uint8Array(c.bytes), ...(c.files ? { files: c.files.map(([n, b]) => [n, new Uint8Array(b)] as [string, Uint8Array]) } : {}) }, i, scratch));
    }
    rmSync(scratch, { recursive: true, force: true });
    port.postMessage({ done: true });
  });
}
