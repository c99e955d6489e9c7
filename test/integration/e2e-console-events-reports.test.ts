import { describe, expect, it } from 'vitest';
import { takeErrorPageLoads } from '../support/console';
import { eventually } from '../support/stack';
import { issuedSecrets } from '../support/tracking-helpers';
import { submitForm } from './conversions-support';
import { checkPhoneWidth, useEventsConsole } from './console-events-support';

const SEED = 5401;

/**
 * Issue 13, lead sync health (LEAD-5), the ads report (REP-1/REP-2) and contacts with their
 * attribution (ATT-1…ATT-3) in the console, in headless Chromium against the real stack, compared
 * with the sandbox's own numbers and the API. Screenshots at 1280 and 375 px; a browser console
 * error fails the test.
 */
describe('console: lead sync, ads report and contacts (issue 13)', () => {
  const t = useEventsConsole(SEED);
  const { stack, sandboxes, url, api } = t;

  it('LEAD-5: the lead sync page shows the sandbox\'s lead counts per form, and "reconcile now" stores a missed lead without a reload', async () => {
    const fb = sandboxes.control('facebook');
    const form = t.seeded.accounts[0].formIds[0] as string;
    // A lead the network makes visible late (created "three days ago": behind the poll cursor) and
    // announces to nobody (no webhook subscribed): only a reconciliation finds it.
    await fb.post('/_sandbox/clock', { advanceSeconds: -3 * 86_400 });
    const pushed = await fb.post('/_sandbox/leads', { formId: form, leads: [{ email: 'late.lead@example.org', fullName: 'Late Lead', adId: t.seeded.ads.byKind.lead[0] }] });
    await fb.post('/_sandbox/clock', { advanceSeconds: 3 * 86_400 });
    const lateId = pushed.leads[0].id as string;
    const atNetwork = t.seeded.leads.total + 1;
    expect(await stack.db.models.Lead.countDocuments({ accountKey: t.accountId, leadId: lateId })).toBe(0);

    const { page } = t.admin;
    await page.goto(url('/admin/lead-sync'));
    const section = page.locator(`section.lead-sync[data-account="${t.accountId}"]`);
    expect(await section.locator('.lead-sync-switch').textContent()).toBe('on, running');
    const storedSum = async () => (await section.locator('.leads-stored').allTextContents()).reduce((n, t) => n + Number(t), 0);
    expect(await storedSum()).toBe(t.seeded.leads.total);
    await t.admin.screenshot('events-07-lead-sync');

    await section.getByRole('button', { name: 'Reconcile now', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/admin/lead-sync' && u.searchParams.get('reconciling') === t.accountId);
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations += 1;
    });
    // htmx replaces the section once the workflow reports the reconciliation.
    const refreshed = page.locator(`section.lead-sync[data-account="${t.accountId}"]`);
    await eventually(async () => !(await refreshed.locator('.last-reconcile').textContent())?.includes('reconciling'), { timeoutMs: 60_000, what: 'the reconciliation in the page' });
    const atNetworkShown = (await refreshed.locator('.leads-at-network').allTextContents()).map(Number);
    const storedShown = (await refreshed.locator('.leads-stored').allTextContents()).map(Number);
    expect(atNetworkShown.reduce((a, b) => a + b, 0)).toBe(atNetwork);
    expect(storedShown).toEqual(atNetworkShown);
    expect(navigations).toBe(0);
    expect(await stack.db.models.Lead.countDocuments({ accountKey: t.accountId, leadId: lateId })).toBe(1);
    await t.admin.screenshot('events-08-lead-sync-reconciled');
    expect(t.admin.consoleErrors).toEqual([]);
  });

  /** The sandbox's own numbers per ad (Graph insights, the same call the network's Ads Manager answers). */
  async function sandboxInsights(from: string, to: string): Promise<Map<string, { impressions: number; clicks: number }>> {
    for (const token of issuedSecrets(sandboxes, 'facebook')) {
      const query = new URLSearchParams({ level: 'ad', fields: 'ad_id,impressions,clicks,spend', time_range: JSON.stringify({ since: from, until: to }), limit: '500', access_token: token });
      const res = await fetch(`${sandboxes.running.urls.facebook}/v25.0/${t.externalId}/insights?${query.toString()}`);
      if (res.status !== 200) continue;
      const body: any = await res.json();
      return new Map(body.data.map((row: any) => [row.ad_id, { impressions: Number(row.impressions), clicks: Number(row.clicks) }]));
    }
    throw new Error('no sandbox token reads insights');
  }

  it('REP-1/REP-2: the ads report shows the sandbox\'s metrics per ad, and the date range filters them', async () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const ranges = [
      { from: day(-2), to: day(0) },
      { from: day(0), to: day(0) },
    ];
    const { page } = t.admin;
    for (const [i, range] of ranges.entries()) {
      const expected = await sandboxInsights(range.from, range.to);
      // The metrics workflow syncs on its own clock; wait until what it stored matches the network.
      await eventually(
        async () => {
          const res = await api('GET', `/api/reports/ads?accountId=${encodeURIComponent(t.accountId)}&from=${range.from}&to=${range.to}`);
          return res.status === 200 && [...expected].every(([adId, m]) => res.body.rows.some((r: any) => r.adId === adId && r.impressions === m.impressions && r.clicks === m.clicks));
        },
        { timeoutMs: 60_000, what: `metrics of ${range.from}..${range.to} synced` },
      );
      await page.goto(url('/admin/reports'));
      await page.getByLabel('Ad account').selectOption(t.accountId);
      await page.getByLabel('From', { exact: true }).fill(range.from);
      await page.getByLabel('To', { exact: true }).fill(range.to);
      await page.getByRole('button', { name: 'Show report' }).click();
      await page.waitForURL((u) => u.searchParams.get('from') === range.from && u.searchParams.get('to') === range.to);
      expect(await page.locator('#report-range').textContent()).toBe(`${range.from} to ${range.to}`);
      expect(expected.size).toBeGreaterThan(0);
      for (const [adId, m] of expected) {
        const row = page.locator(`table.report tbody tr[data-ad="${adId}"]`);
        expect(Number(await row.locator('.impressions').textContent()), `impressions of ${adId}`).toBe(m.impressions);
        expect(Number(await row.locator('.clicks').textContent()), `clicks of ${adId}`).toBe(m.clicks);
      }
      const total = [...expected.values()].reduce((n, m) => n + m.impressions, 0);
      expect(Number(await page.locator('table.report tfoot .impressions').textContent())).toBe(total);
      expect(await page.locator('#report-chart rect').count()).toBeGreaterThan(0);
      await t.admin.screenshot(`events-09-report-${i + 1}`);
    }

    // A range that ends before it starts is refused next to "From", as the API refuses it.
    await page.goto(url(`/admin/reports?accountId=${encodeURIComponent(t.accountId)}&from=${day(0)}&to=${day(-1)}`));
    expect(await page.getByLabel('From', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field-error[data-field="from"]').textContent()).toBe('from must not be after to');
    takeErrorPageLoads(t.admin, '/admin/reports');
    expect(t.admin.consoleErrors).toEqual([]);
  });

  it('ATT-1…ATT-3: contacts are searched by email and show why they were (not) credited, as the API explains it', async () => {
    const leadContact = await stack.db.models.Contact.findOne({ fbLeadId: { $ne: null }, 'attribution.attributed': true }).lean();
    expect(leadContact).toBeTruthy();
    const credited = (await api('GET', `/api/contacts/${leadContact!._id}/attribution`)).body;
    const submitted = await submitForm(stack, t.formId, { email: 'console.events.1@example.org' });
    const notCredited = (await api('GET', `/api/contacts/${submitted.contactId}/attribution`)).body;
    expect(notCredited.attributed).toBe(false);

    const { page } = t.admin;
    await page.goto(url('/admin/contacts'));
    await t.admin.screenshot('events-10-contacts');
    for (const [email, explained] of [[leadContact!.email!, credited], ['console.events.1@example.org', notCredited]] as const) {
      await page.getByLabel('Email').fill(email.toUpperCase());
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL((u) => u.searchParams.get('email') === email.toUpperCase());
      const rows = page.locator('tbody tr');
      expect(await rows.count()).toBe(1);
      expect(await rows.locator('.credited').textContent()).toContain(explained.attributed ? 'yes' : 'no');
      expect(await rows.locator('.explanation').textContent()).toContain(explained.explanation);
      await rows.getByRole('link').click();
      expect(await page.locator('#attribution-explanation').textContent()).toBe(explained.explanation);
      expect(await page.locator('#attribution-reason').textContent()).toBe(explained.reason);
      await t.admin.screenshot(`events-11-contact-${explained.attributed ? 'credited' : 'not-credited'}`);
      await page.goto(url('/admin/contacts'));
    }
    // Paged on the server: 20 a page, the next page continues after the last one shown.
    const imported = await api('POST', '/api/contacts/import', { contacts: Array.from({ length: 25 }, (_, i) => ({ email: `paging.${i}@example.org` })) });
    expect(imported.status).toBe(200);
    const all = await stack.db.models.Contact.countDocuments();
    await page.goto(url('/admin/contacts'));
    const ids = async () => page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-contact')));
    const first = await ids();
    expect(first).toHaveLength(20);
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL((u) => u.searchParams.has('cursor'));
    const second = await ids();
    expect(second).toHaveLength(Math.min(20, all - 20));
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    expect(t.admin.consoleErrors).toEqual([]);
  });

  it('usable at phone width: these pages at 375 px without sideways scrolling', async () => {
    const contact = await stack.db.models.Contact.findOne().lean();
    await checkPhoneWidth(t, {
      'lead-sync': '/admin/lead-sync',
      report: `/admin/reports?accountId=${encodeURIComponent(t.accountId)}`,
      contacts: '/admin/contacts',
      contact: `/admin/contacts/${contact!._id}`,
    });
  });
});
