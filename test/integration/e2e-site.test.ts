import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { BrowserContext, Page } from 'playwright-core';
import { wireLandingForm } from '../../src/dev/demo';
import { REDACTED_PATHS } from '../../src/logging';
import { createLandingSite, type LandingSiteOptions } from '../../src/sandboxes/landing';
import { listen, type RunningServer } from '../../src/sandboxes/kit/sandbox-app';
import { startApi } from '../support/api-instance';
import { useBrowser } from '../support/browser';
import { parseExposition, sampleSum } from '../support/prometheus';
import { eventually, useStack } from '../support/stack';

/**
 * Issue 15 item 8b in real Chromium: what a site owner trips over. The consent gate of /t.js (no
 * cookie and no request before consent, opt-out), the console warning / counter / log line of a
 * site missing from CORS_SITE_ORIGINS, and the demo landing page's form that creates a contact.
 */
describe('end to end: the customer site and /t.js (issue 15 item 8b)', () => {
  const consentSite: LandingSiteOptions = { consent: 'required' };
  const strangerSite: LandingSiteOptions = {};
  const demoSite: LandingSiteOptions = {};
  const servers: Record<'consent' | 'stranger' | 'demo', RunningServer> = {} as never;
  beforeAll(async () => {
    servers.consent = await listen(createLandingSite(consentSite).app);
    servers.stranger = await listen(createLandingSite(strangerSite).app);
    servers.demo = await listen(createLandingSite(demoSite).app);
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s?.close()));
  });
  // The stranger site is left out on purpose.
  const stack = useStack({ env: () => ({ CORS_SITE_ORIGINS: `${servers.consent.url},${servers.demo.url}` }) });
  const chromium = useBrowser();
  beforeAll(() => {
    consentSite.trackingScriptUrl = `${stack.api.url}/t.js`;
    demoSite.trackingScriptUrl = `${stack.api.url}/t.js`;
  });

  async function openSite(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await chromium.browser.newContext();
    // Every URL the page hands to fetch or sendBeacon, recorded synchronously (the script calls them synchronously).
    await context.addInitScript(`
      window.__calls = [];
      const originalFetch = window.fetch.bind(window);
      window.fetch = (input, init) => { window.__calls.push(String(input instanceof Request ? input.url : input)); return originalFetch(input, init); };
      const originalBeacon = navigator.sendBeacon.bind(navigator);
      navigator.sendBeacon = (url, data) => { window.__calls.push(String(url)); return originalBeacon(url, data); };
    `);
    return { context, page: await context.newPage() };
  }
  const load = async (page: Page, url: string) => {
    await page.goto(url);
    await page.waitForFunction('Boolean(window.adtrack && window.adtrack.loaded)');
  };
  const calls = (page: Page) => page.evaluate<string[]>('window.__calls');
  const cookie = async (context: BrowserContext, name: string) => (await context.cookies()).find((c) => c.name === name)?.value;

  it('consent gate: no cookie and no request before consent; page view stored after consent(true); consent(false) deletes the cookie and stops beacons', async () => {
    const { context, page } = await openSite();
    try {
      await load(page, `${servers.consent.url}/p/consent-first`);
      expect(await calls(page)).toEqual([]);
      expect(await context.cookies()).toEqual([]);

      await page.evaluate('window.adtrack.consent(true)');
      const token = await eventually(async () => cookie(context, 'adtrack_vid'), { what: 'visitor cookie after consent' });
      expect(token).toMatch(/^[0-9a-f]{32}$/);
      await eventually(async () => (await stack.db.models.PageView.countDocuments({ visitorToken: token })) === 1, { what: 'page view stored after consent' });
      expect(await calls(page)).toEqual([`${stack.api.url}/t/pageview`]);

      await page.evaluate('window.adtrack.consent(false)');
      expect(await cookie(context, 'adtrack_vid')).toBeUndefined();
      expect(await cookie(context, 'adtrack_optout')).toBe('1');
      await page.evaluate("history.replaceState({}, '', '/p/consent-second'); window.adtrack.trackPageView()");
      expect(await calls(page)).toHaveLength(1);

      // The refusal holds on the next page too.
      await load(page, `${servers.consent.url}/p/consent-third`);
      expect(await calls(page)).toEqual([]);
      expect(await cookie(context, 'adtrack_vid')).toBeUndefined();
      expect(await stack.db.models.PageView.countDocuments({ visitorToken: token })).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('consent given before /t.js loaded waits in window.adtrack.q and is applied when the script runs', async () => {
    const { context, page } = await openSite();
    try {
      await context.addInitScript("window.adtrack = { q: [['consent', true]] };");
      await load(page, `${servers.consent.url}/p/consent-queued`);
      const token = await eventually(async () => cookie(context, 'adtrack_vid'), { what: 'visitor cookie from the queued consent' });
      await eventually(async () => (await stack.db.models.PageView.countDocuments({ visitorToken: token })) === 1, { what: 'page view stored' });
    } finally {
      await context.close();
    }
  });

  it('opt-out without the consent switch: tracking runs until consent(false), then no cookie and no beacon on later pages', async () => {
    const { context, page } = await openSite();
    try {
      await load(page, `${servers.demo.url}/p/opt-out-first`);
      const token = await eventually(async () => cookie(context, 'adtrack_vid'), { what: 'visitor cookie' });
      await eventually(async () => (await stack.db.models.PageView.countDocuments({ visitorToken: token })) === 1, { what: 'page view stored' });
      await page.evaluate('window.adtrack.consent(false)');
      expect(await cookie(context, 'adtrack_vid')).toBeUndefined();
      await load(page, `${servers.demo.url}/p/opt-out-second`);
      expect(await calls(page)).toEqual([]);
      expect(await cookie(context, 'adtrack_vid')).toBeUndefined();
    } finally {
      await context.close();
    }
  });

  it('a site missing from CORS_SITE_ORIGINS: a console warning from /t.js, a counter per refused call, one log line per origin (no personal data)', async () => {
    const logLines: string[] = [];
    const logger = pino({ level: 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, { write: (line: string) => void logLines.push(line) });
    const api = await startApi(stack, { logger });
    strangerSite.trackingScriptUrl = `${api.url}/t.js`;
    const refusedCount = async () => sampleSum(parseExposition(await (await fetch(`${api.url}/metrics`)).text()).samples, 'adtrack_visitor_origin_refused_total');
    const before = await refusedCount();
    const { context, page } = await openSite();
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning' && message.text().includes('[adtrack]')) warnings.push(message.text());
    });
    try {
      for (const slug of ['one', 'two', 'three']) await load(page, `${servers.stranger.url}/p/${slug}`);
      await eventually(async () => warnings.length === 3, { what: 'a console warning on each page' });
      expect(warnings[0]).toContain(`${servers.stranger.url} is not in CORS_SITE_ORIGINS`);
      await eventually(async () => (await refusedCount()) - before === 3, { what: 'three refusals counted' });
      const refusedLines = logLines.filter((line) => line.includes('not in CORS_SITE_ORIGINS'));
      expect(refusedLines).toHaveLength(1);
      expect(JSON.parse(refusedLines[0]!)).toMatchObject({ origin: servers.stranger.url, path: '/t/pageview' });
      const token = await cookie(context, 'adtrack_vid');
      expect(token).toBeTruthy();
      expect(logLines.join('\n')).not.toContain(token);
      expect(logLines.join('\n')).not.toContain('/p/one');
    } finally {
      await context.close();
      await api.close();
    }
  });

  it('the demo landing page form has a form of this system: "Send" creates a contact', async () => {
    const wiring = { apiUrl: stack.api.url, adminToken: stack.config.ADMIN_API_TOKEN, landingUrl: servers.demo.url };
    const formId = await wireLandingForm(wiring);
    // A restart of the demo reuses the form instead of creating another.
    expect(await wireLandingForm(wiring)).toBe(formId);
    const { context, page } = await openSite();
    try {
      await load(page, `${servers.demo.url}/p/demo-offer`);
      expect(await page.getAttribute('form', 'data-adtrack-form')).toBe(formId);
      await page.fill('input[name=email]', 'demo.visitor@example.com');
      await page.fill('input[name=name]', 'Demo Visitor');
      await page.click('button[type=submit]');
      await page.waitForSelector('form[data-adtrack-status=sent]', { timeout: 10_000 });
      const contact = await eventually(async () => (await stack.request('GET', '/api/contacts?email=demo.visitor@example.com')).body.items[0], { what: 'contact from the demo form' });
      const detail = (await stack.request('GET', `/api/contacts/${contact.id}`)).body;
      expect(detail.lastSubmission).toMatchObject({ formId });
    } finally {
      await context.close();
    }
  });
});
