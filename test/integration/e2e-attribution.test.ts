import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdDoc } from '../../src/db/models/ad';
import { createLandingSite, type LandingSiteOptions } from '../../src/sandboxes/landing';
import { listen, type RunningServer } from '../../src/sandboxes/kit/sandbox-app';
import { useBrowser } from '../support/browser';
import { useSandboxes } from '../support/sandboxes';
import { eventually, useStack } from '../support/stack';

const REDIRECT_URI = 'https://app.example.com/oauth/callback';

/**
 * Acceptance 1 and 2 of issue 5 over real HTTP: a click on a tracked Facebook ad (the sandbox's
 * click simulation, after the account workflow tagged the ad) opens the landing page in headless
 * Chromium; the page includes the API's /t.js; the visitor submits the page's form.
 */
describe('end to end: ad click → landing page in Chromium → form → attributed contact (ATT-1, VIS-1, REP-2)', () => {
  const sandboxes = useSandboxes();
  // The customer's site: a landing site whose pages include our /t.js and whose form is ours.
  const site: LandingSiteOptions = {};
  let landing: RunningServer;
  beforeAll(async () => {
    landing = await listen(createLandingSite(site).app);
  });
  afterAll(async () => {
    await landing?.close();
  });
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '2', METRICS_INTERVAL_SECONDS: '3', CORS_SITE_ORIGINS: landing.url }) });
  const chromium = useBrowser();

  let ad: AdDoc;
  /** A second tracked ad, for the visitor who submits ten times. */
  let repeatAd: AdDoc;
  let formId: string;
  let contactId: string;
  let accountId: string;
  let externalId: string;
  let pixelId: string;

  beforeAll(async () => {
    const seeded = await sandboxes.control('facebook').post('/_sandbox/seed', { seed: 11, accounts: 1, adsPerAccount: 24, landingBaseUrl: landing.url });
    const { code } = await sandboxes.control('facebook').post('/_sandbox/oauth/codes', { user: seeded.user.handle, redirectUri: REDIRECT_URI });
    const connected = await stack.request('POST', '/api/connections', { network: 'facebook', code, redirectUri: REDIRECT_URI });
    expect(connected.status).toBe(201);
    const account = await stack.request('POST', '/api/accounts', { connectionId: connected.body.id, externalId: connected.body.adAccounts[0].externalId });
    expect(account.status).toBe(201);
    accountId = account.body.id;
    externalId = account.body.externalId;
    pixelId = seeded.accounts[0].pixelId;
    // The account workflow tags the account's ads; pick two that send visitors to a page of the site.
    [ad, repeatAd] = await eventually(
      async () => {
        const ads = await stack.db.models.Ad.find({ accountKey: accountId, trackingStatus: 'tracked' }).sort({ _id: 1 }).lean<AdDoc[]>();
        const usable = ads.filter((candidate) => candidate.landingUrl?.startsWith(`${landing.url}/p/`) && !candidate.landingUrl.includes('#'));
        return usable.length >= 2 ? (usable as [AdDoc, AdDoc, ...AdDoc[]]) : undefined;
      },
      { timeoutMs: 45_000, what: 'two tracked ads landing on the site' },
    );
    const form = await stack.request('POST', '/api/forms', { name: 'Landing page form', alwaysCreateNewContact: false });
    formId = form.body.id;
    site.formId = formId;
    site.trackingScriptUrl = `${stack.api.url}/t.js`;
  });

  it('ATT-1: the contact is attributed to exactly the clicked ad, with network, account, campaign, ad set, ad and click time', async () => {
    const click = await sandboxes.control('facebook').post(`/_sandbox/ads/${ad.adId}/click`, {});
    expect(click.landingUrl).toContain(`hsa_ad=${ad.adId}`);

    const context = await chromium.browser.newContext();
    try {
      const page = await context.newPage();
      const clickedAt = Date.now();
      await page.goto(click.landingUrl as string);
      // The script sets the first-party cookie and reports the page view.
      const token = await eventually(async () => (await context.cookies()).find((c) => c.name === 'adtrack_vid')?.value, { what: 'visitor cookie' });
      expect(token).toMatch(/^[0-9a-f]{32}$/);
      await eventually(async () => (await stack.db.models.PageView.countDocuments({ visitorToken: token })) === 1, { what: 'page view stored' });

      await page.fill('input[name=email]', 'Jane.Doe@Example.com');
      await page.fill('input[name=name]', 'Jane Doe');
      await page.click('button[type=submit]');
      await page.waitForSelector('form[data-adtrack-status=sent]', { timeout: 10_000 });
      expect(page.url()).toBe(click.landingUrl); // the answers did not end up in the URL

      const contact = await eventually(async () => (await stack.request('GET', '/api/contacts?email=jane.doe@example.com')).body.items[0], { what: 'contact' });
      contactId = contact.id;
      const attribution = (await stack.request('GET', `/api/contacts/${contactId}/attribution`)).body;
      expect(attribution).toMatchObject({
        attributed: true,
        reason: 'ATTRIBUTED',
        ad: {
          network: 'facebook',
          accountKey: accountId,
          campaignId: ad.campaign.id,
          adGroupId: ad.adGroup.id,
          adId: ad.adId,
          adKey: ad._id,
        },
      });
      expect(attribution.explanation).toMatch(new RegExp(`click on facebook ad ${ad.adId}`));
      const clickAt = Date.parse(attribution.ad.clickAt);
      expect(clickAt).toBeGreaterThanOrEqual(clickedAt - 1000);
      expect(clickAt).toBeLessThanOrEqual(Date.now());

      const detail = (await stack.request('GET', `/api/contacts/${contactId}`)).body;
      expect(detail).toMatchObject({ firstName: 'Jane', lastName: 'Doe', interactedWithAds: true, source: 'paid_social' });
      expect(detail.sessions).toHaveLength(1);
      expect(detail.sessions[0].hsa).toMatchObject({ hsa_ad: ad.adId, hsa_net: 'facebook' });
      expect(detail.lastSubmission.userAgent).toMatch(/Chrome/);
      expect(detail.lastSubmission.ip).toBeTruthy();
      expect(detail.pageViews).toHaveLength(1);
      const byAd = await stack.request('GET', `/api/contacts?attributedAd=${encodeURIComponent(ad._id)}`);
      expect(byAd.body.items.map((c: { id: string }) => c.id)).toEqual([contactId]);

    } finally {
      await context.close();
    }
  });

  /** The ad's row of the ads report, once the network's metrics for it have been synced. */
  async function reportRow(target: AdDoc, ready: (row: { impressions: number; networkConversions: number }) => boolean = (row) => row.impressions > 0) {
    const today = new Date().toISOString().slice(0, 10);
    return eventually(
      async () => {
        const res = await stack.request('GET', `/api/reports/ads?accountId=${encodeURIComponent(accountId)}&from=2000-01-01&to=${today}`);
        const row = res.status === 200 ? res.body.rows.find((r: { adId: string }) => r.adId === target.adId) : undefined;
        return row && ready(row) ? { row, report: res.body } : undefined;
      },
      { timeoutMs: 40_000, what: `report row of ad ${target.adId}` },
    );
  }

  it('acceptance 2 / REP-2: one visitor submitting 10 times is 1 contact, while the network counts 10 conversions', async () => {
    // A second form whose submissions are sent to Facebook as Lead conversions (CONV-1/CONV-5, issue 6):
    // the network counts every submission, as its pixel would.
    const repeatForm = (await stack.request('POST', '/api/forms', { name: 'Quote request' })).body.id as string;
    const definition = await stack.request('POST', '/api/conversion-events', {
      network: 'facebook',
      adAccountId: externalId,
      trigger: { kind: 'form_submission', formId: repeatForm },
      eventName: 'Lead',
      pixelId,
    });
    expect(definition.status, JSON.stringify(definition.body)).toBe(201);
    site.formId = repeatForm;
    // What the network reported for the ad before this visitor (its seeded delivery).
    const before = (await reportRow(repeatAd)).row.networkConversions as number;
    const click = await sandboxes.control('facebook').post(`/_sandbox/ads/${repeatAd.adId}/click`, {});
    expect(new URL(click.landingUrl as string).searchParams.get('fbclid')).toBe(click.fbclid);

    const context = await chromium.browser.newContext();
    // The site also runs Meta's pixel: its cookies, one from an older click, are there already.
    const pixelCookies = { _fbp: `fb.1.${Date.now() - 86_400_000}.1116446470`, _fbc: `fb.1.${Date.now() - 86_400_000}.OlderClickId` };
    await context.addCookies(Object.entries(pixelCookies).map(([name, value]) => ({ name, value, url: landing.url })));
    try {
      const page = await context.newPage();
      await page.goto(click.landingUrl as string);
      await page.fill('input[name=email]', 'repeat.visitor@example.com');
      for (let i = 1; i <= 10; i += 1) {
        await page.locator('form').evaluate((form: { removeAttribute(name: string): void }) => form.removeAttribute('data-adtrack-status'));
        await page.fill('input[name=name]', `Rita Repeat ${i}`);
        await page.click('button[type=submit]');
        await page.waitForSelector('form[data-adtrack-status=sent]', { timeout: 10_000 });
      }
    } finally {
      await context.close();
    }

    expect(await stack.db.models.FormSubmission.countDocuments({ formId: repeatForm })).toBe(10);
    const contacts = await stack.db.models.Contact.find({ emails: 'repeat.visitor@example.com' }).lean();
    expect(contacts).toHaveLength(1);
    expect(contacts[0]!.attribution).toMatchObject({ attributed: true, ad: { adKey: repeatAd._id } });

    // The network counts actions: 10 Lead events, one per submission (distinct event ids).
    const accepted = await eventually(
      async () => {
        const events = (await sandboxes.control('facebook').get(`/_sandbox/conversions?pixelId=${pixelId}`)).accepted as {
          eventName: string;
          eventId: string;
          event: { user_data: { fbc?: string; fbp?: string } };
        }[];
        return events.length >= 10 ? events : undefined;
      },
      { timeoutMs: 40_000, what: 'ten Lead events at the network' },
    );
    expect(accepted).toHaveLength(10);
    expect(new Set(accepted.map((e) => e.eventId)).size).toBe(10);
    expect(accepted.every((e) => e.eventName === 'Lead')).toBe(true);
    // Each names the visitor's latest click (not the pixel's older one), so the network credits it to
    // the clicked ad, and carries the pixel's browser id.
    expect(accepted.every((e) => new RegExp(`^fb\\.1\\.\\d{13}\\.${click.fbclid}$`).test(e.event.user_data.fbc ?? ''))).toBe(true);
    expect(accepted.every((e) => e.event.user_data.fbp === pixelCookies._fbp)).toBe(true);

    // The report: the network's count for the ad grew by the 10 submissions, next to 1 attributed contact.
    const { row, report } = await reportRow(repeatAd, (r) => r.networkConversions >= before + 10);
    expect(row).toMatchObject({ attributedContacts: 1, networkConversions: before + 10, trackingStatus: 'tracked' });
    expect(report.notes.networkConversionsVsContacts).toMatch(/10 submissions are 1 contact/);
  });

  it('REP-2: the ads report shows the network\'s conversions next to one attributed contact for the ad', async () => {
    expect(contactId).toBeDefined();
    const { row, report } = await reportRow(ad);
    const metrics = await stack.db.models.AdMetric.find({ adKey: ad._id }).lean();
    expect(row).toMatchObject({
      adKey: ad._id,
      trackingStatus: 'tracked',
      attributedContacts: 1,
      networkConversions: metrics.reduce((sum, m) => sum + m.conversions, 0),
      impressions: metrics.reduce((sum, m) => sum + m.impressions, 0),
    });
    expect(report.totals.attributedContacts).toBe(2);
    expect(report.notes.networkConversionsVsContacts).toMatch(/10 submissions are 1 contact/);
    expect(report.notes.uniqueVisitors).toMatch(/estimate/);
  });
});
