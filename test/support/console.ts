import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestStack } from './stack';

/** Where the console tests leave a screenshot of every page they visit (git-ignored), for a person to look at. */
export const SCREENSHOT_DIR = path.resolve(__dirname, '../../test-results/screenshots');

export interface ConsoleSession {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  consoleErrors: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A fresh browser context (its own cookie jar) with a page that records every console error, at the
 * given viewport. Tests assert `consoleErrors` is empty after the pages they expect to be clean.
 */
export async function openConsole(browser: Browser, options: { width?: number; height?: number } = {}): Promise<ConsoleSession> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 } });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    context,
    page,
    consoleErrors,
    screenshot: async (name) => {
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    },
    close: () => context.close(),
  };
}

export async function signIn(session: ConsoleSession, stack: TestStack): Promise<void> {
  const { page } = session;
  await page.goto(`${stack.api.url}/admin/sign-in`);
  await page.getByLabel('Admin token').fill(stack.adminToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${stack.api.url}/admin/accounts`);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Ad accounts');
}

/**
 * An error page answers with its 4xx status, which Chromium reports as a console error of the
 * document load; the test that expects that page takes exactly those entries out (and no others).
 */
export function takeErrorPageLoads(session: ConsoleSession, path: string): void {
  const expected = session.consoleErrors.filter((e) => e.includes(path) && /Failed to load resource: the server responded with a status of 4\d\d/.test(e));
  expect(expected.length).toBeGreaterThan(0);
  session.consoleErrors.splice(0, session.consoleErrors.length, ...session.consoleErrors.filter((e) => !expected.includes(e)));
}
