import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { requirement, type RequirementDecision } from '@mirrorwatch/lab';

/** Debian's chromium package: never a browser downloaded by playwright. */
export const CHROMIUM = '/usr/bin/chromium';

/** What Chromium needs to run headless as root in a container, without phoning home. */
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
 * Whether the browser suites run: Debian's chromium must be installed, or the
 * developer skips them on purpose with MIRRORWATCH_SKIP=chromium (printed in
 * the test summary). A missing chromium otherwise fails the suite, saying how
 * to install it: a skipped browser suite would pass having tested nothing.
 */
export function chromiumForTests(): RequirementDecision {
  return requirement({
    name: 'chromium',
    missing: existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing`,
    install: 'apt-get install -y chromium',
  });
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
