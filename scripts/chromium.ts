/**
 * Debian's chromium driven by playwright-core, headless, with a fresh profile: shared by the
 * browser tests (test/web) and the page-load benchmark (bench/web_load.ts).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { repoRoot } from './repo.js';

/** The browser binary: CONVLAB_CHROMIUM, else Debian's. */
export const chromiumPath = (): string => process.env.CONVLAB_CHROMIUM ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or null when they can. */
export function browserMissing(): string | null {
  if (!existsSync(chromiumPath())) return `no browser at ${chromiumPath()} (.ci/run installs Debian's chromium; CONVLAB_CHROMIUM points elsewhere)`;
  if (!existsSync(join(repoRoot(), 'web', 'dist', 'index.html'))) return 'web/dist is not built (npm run build:web)';
  return null;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
];

/**
 * A launched browser with its own throwaway profile; `close` removes the profile too. `bypassCSP`
 * lets a test inject a script (axe-core) the page's own policy would refuse.
 */
export async function launch(o: { width: number; height: number; mobile?: boolean; bypassCSP?: boolean }): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'convlab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: o.width, height: o.height },
    ...(o.mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    acceptDownloads: true,
    ...(o.bypassCSP ? { bypassCSP: true } : {}),
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** test-artifacts/ at the repository root (gitignored), created on demand. */
export function artifactsDir(): string {
  const dir = join(repoRoot(), 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}
