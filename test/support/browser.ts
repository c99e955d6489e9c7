import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (installed by scripts/ensure-chromium.sh, run as `pretest`). */
export const CHROMIUM_PATH = process.env.ADTRACK_CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  browser: Browser;
}

/** One headless Chromium for a test file, driven by playwright-core; each test opens its own context (cookie jar). */
export function useBrowser(): TestBrowser {
  const t = {} as TestBrowser;
  beforeAll(async () => {
    t.browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  });
  afterAll(async () => {
    await t.browser?.close();
  });
  return t;
}
