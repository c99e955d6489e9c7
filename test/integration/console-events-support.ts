import { afterAll, beforeAll, expect } from 'vitest';
import type { Browser } from 'playwright-core';
import { useBrowser } from '../support/browser';
import { openConsole, signIn, type ConsoleSession } from '../support/console';
import { useSandboxes, type TestSandboxes } from '../support/sandboxes';
import { eventually, useStack, type TestStack } from '../support/stack';
import { seedAndConnect } from '../support/tracking-helpers';
import { createForm } from './conversions-support';

/**
 * The world of the issue 13 events-console tests: a seeded Facebook account connected through the
 * API with lead sync on (its leads stored), a form of this system, and a signed-in browser session.
 */
export interface EventsConsole {
  sandboxes: TestSandboxes;
  stack: TestStack;
  browser: () => Browser;
  admin: ConsoleSession;
  seeded: any;
  accountId: string;
  externalId: string;
  formId: string;
  url: (path: string) => string;
  api: (method: string, path: string, body?: unknown) => ReturnType<TestStack['request']>;
}

export function useEventsConsole(seed: number): EventsConsole {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '5', METRICS_INTERVAL_SECONDS: '3', LEAD_POLL_INTERVAL_SECONDS: '2' }) });
  const chromium = useBrowser();
  const t = {
    sandboxes,
    stack,
    browser: () => chromium.browser,
    url: (path: string) => `${stack.api.url}${path}`,
    api: (method: string, path: string, body?: unknown) => stack.request(method, path, body),
  } as EventsConsole;
  beforeAll(async () => {
    const connected = await seedAndConnect(stack, sandboxes, 'facebook', { seed, accounts: 1, adsPerAccount: 6 });
    t.seeded = connected.seeded;
    t.accountId = connected.account.id;
    t.externalId = connected.account.externalId;
    expect((await t.api('POST', `/api/accounts/${encodeURIComponent(t.accountId)}/lead-sync`, { enabled: true })).status).toBe(200);
    await eventually(async () => (await stack.db.models.Lead.countDocuments({ accountKey: t.accountId })) === t.seeded.leads.total, { timeoutMs: 60_000, what: 'the seeded leads stored' });
    t.formId = await createForm(stack, 'Quote request');
    t.admin = await openConsole(chromium.browser);
    await signIn(t.admin, stack);
  });
  afterAll(async () => {
    await t.admin?.close();
  });
  return t;
}

/** Issue 13 "usable on a phone": each page at 375 px, screenshotted, without sideways scrolling or console errors. */
export async function checkPhoneWidth(t: EventsConsole, pages: Record<string, string>): Promise<void> {
  const phone = await openConsole(t.browser(), { width: 375, height: 800 });
  try {
    await signIn(phone, t.stack);
    for (const [name, path] of Object.entries(pages)) {
      await phone.page.goto(t.url(path));
      await phone.screenshot(`events-phone-${name}`);
      const overflow = await phone.page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      // What sticks out, to name it in the failure.
      const wide = await phone.page.evaluate<string[]>(
        `[...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map((el) => el.tagName + '.' + el.className)`,
      );
      expect(overflow, `${path} scrolls sideways: ${wide.join(', ')}`).toBeLessThanOrEqual(0);
    }
    expect(phone.consoleErrors).toEqual([]);
  } finally {
    await phone.close();
  }
}
