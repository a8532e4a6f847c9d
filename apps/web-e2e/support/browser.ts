import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium package: never a browser downloaded by playwright. */
export const CHROMIUM = '/usr/bin/chromium';

/** TOOLCHAIN.md: what Chromium needs to run headless as root in a container, without phoning home. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Why the browser tests cannot run here, or null when they can. In CI a
 * missing chromium is a failure, never a skip: a skipped browser suite there
 * would pass without having tested anything.
 */
export function chromiumMissingReason(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const reason = `${CHROMIUM} is missing (apt-get install -y chromium)`;
  if (process.env['CI']) throw new Error(`${reason}; CI must run the browser tests`);
  return reason;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile per run (its own user-data-dir), deleted on close. */
export async function launchChromium(options: { locale?: string } = {}): Promise<Browser> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    locale: options.locale ?? 'en-US',
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
