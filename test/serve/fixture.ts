/** A served folder for the server tests: a page, an asset, a dot-file and links out, beside a secret. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SECRET = 'the contents of a file outside the root';

/** A root folder with a page, an asset, a dot-file and a symlink out, beside a secret file. */
export function fixture(): { root: string; outside: string } {
  const base = mkdtempSync(join(tmpdir(), 'convlab-serve-'));
  const root = join(base, 'root');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>page</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, '.env'), SECRET);
  writeFileSync(join(base, 'secret.txt'), SECRET);
  symlinkSync(join(base, 'secret.txt'), join(root, 'link.txt'));
  symlinkSync(base, join(root, 'up'));
  return { root, outside: join(base, 'secret.txt') };
}

