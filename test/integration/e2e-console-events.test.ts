import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser';
import { openConsole, signIn, takeErrorPageLoads, type ConsoleSession } from '../support/console';
import { useSandboxes } from '../support/sandboxes';
import { eventually, useStack } from '../support/stack';
import { issuedSecrets, seedAndConnect } from '../support/tracking-helpers';
import { createForm, submitForm } from './conversions-support';

/**
 * Issue 13 (console: conversion events, lead sync health, ads report, contacts) in headless Chromium
 * against the real stack: every action goes through the page and is checked at the API, the
 * database or the sandbox. Screenshots of every page at 1280 and 375 px go to
 * test-results/screenshots/; a browser console error fails the test.
 */
describe('console pages for conversion events, lead sync, the ads report and contacts (issue 13)', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '5', METRICS_INTERVAL_SECONDS: '3', LEAD_POLL_INTERVAL_SECONDS: '2' }) });
  const chromium = useBrowser();
  let admin: ConsoleSession;
  let seeded: any;
  let accountId: string;
  let externalId: string;
  let formId: string;
  const url = (path: string) => `${stack.api.url}${path}`;
  const api = async (method: string, path: string, body?: unknown) => stack.request(method, path, body);

  beforeAll(async () => {
    const connected = await seedAndConnect(stack, sandboxes, 'facebook', { seed: 5400, accounts: 1, adsPerAccount: 6 });
    seeded = connected.seeded;
    accountId = connected.account.id;
    externalId = connected.account.externalId;
    expect((await api('POST', `/api/accounts/${encodeURIComponent(accountId)}/lead-sync`, { enabled: true })).status).toBe(200);
    await eventually(async () => (await stack.db.models.Lead.countDocuments({ accountKey: accountId })) === seeded.leads.total, { timeoutMs: 60_000, what: 'the seeded leads stored' });
    formId = await createForm(stack, 'Quote request');
    admin = await openConsole(chromium.browser);
    await signIn(admin, stack);
  });
  afterAll(async () => {
    await admin?.close();
  });

  const definitions = async () => (await api('GET', '/api/conversion-events')).body.items as any[];

  it('acceptance 4: a conversion event created from the console is stored as the API defines it', async () => {
    const { page } = admin;
    await page.goto(url('/admin/conversions'));
    await admin.screenshot('events-01-conversions-empty');
    await page.getByRole('link', { name: 'New conversion event' }).click();
    await page.waitForURL(url('/admin/conversions/new'));
    await admin.screenshot('events-02-conversion-form');
    await page.getByLabel('Name (optional)', { exact: true }).fill('Quote requests to Facebook');
    await page.getByLabel('Ad account').selectOption(accountId);
    await page.getByLabel('A form of this system is submitted').check();
    await page.getByLabel('Form (form-submission trigger)').selectOption(formId);
    await page.getByLabel('Event name (optional)').fill('Lead');
    await page.getByLabel('Value (optional)').fill('25');
    await page.getByLabel('Currency (ISO 4217, with a value)').fill('EUR');
    await page.getByLabel('First name').check();
    await page.getByLabel('Facebook pixel (dataset) id').fill(seeded.accounts[0].pixelId);
    await page.getByRole('button', { name: 'Create conversion event' }).click();
    await page.waitForURL(url('/admin/conversions?notice=created'));

    const [created] = await definitions();
    expect(created).toMatchObject({
      name: 'Quote requests to Facebook',
      network: 'facebook',
      adAccountId: externalId,
      trigger: { kind: 'form_submission', formId },
      eventName: 'Lead',
      value: 25,
      currency: 'EUR',
      pixelId: seeded.accounts[0].pixelId,
      api: 'enhanced',
      enabled: true,
    });
    expect(created.sharedFields).toMatchObject({ firstName: true, email: true, lastName: false, userAgent: true });
    expect(await page.locator(`li.definition[data-definition="${created.id}"] h3`).textContent()).toBe('Quote requests to Facebook');
    expect(admin.consoleErrors).toEqual([]);
  });

  it('acceptance 4: a refused conversion event shows the API\'s reason next to the field it names, and nothing is stored', async () => {
    const { page } = admin;
    const before = (await definitions()).length;
    // What the API answers for the same definition.
    const direct = await api('POST', '/api/conversion-events', {
      network: 'facebook', adAccountId: externalId, trigger: { kind: 'form_submission', formId }, value: 5, currency: 'XYZ', pixelId: seeded.accounts[0].pixelId,
    });
    expect(direct.status).toBe(422);
    const problem = direct.body.error.details.problems.find((p: { field: string }) => p.field === 'currency');
    expect(problem.message).toContain('XYZ');

    await page.goto(url('/admin/conversions/new'));
    await page.getByLabel('Ad account').selectOption(accountId);
    await page.getByLabel('A form of this system is submitted').check();
    await page.getByLabel('Form (form-submission trigger)').selectOption(formId);
    await page.getByLabel('Value (optional)').fill('5');
    await page.getByLabel('Currency (ISO 4217, with a value)').fill('XYZ');
    await page.getByLabel('Facebook pixel (dataset) id').fill(seeded.accounts[0].pixelId);
    await page.getByRole('button', { name: 'Create conversion event' }).click();
    await page.waitForURL(url('/admin/conversions'));

    const currency = page.getByLabel('Currency (ISO 4217, with a value)');
    expect(await currency.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await currency.getAttribute('aria-describedby'))!;
    expect(await page.locator(`#${describedBy}`).textContent()).toBe(problem.message);
    // Next to the field: the message directly follows its control.
    expect(await currency.evaluate((el, id) => el.nextElementSibling?.id === id, describedBy)).toBe(true);
    expect(await page.getByRole('alert').textContent()).toContain('Nothing was saved');
    // What was typed is still there.
    expect(await page.getByLabel('Value (optional)').inputValue()).toBe('5');
    await admin.screenshot('events-03-conversion-refused');

    // A value that is not a number is refused by the API's schema, again next to its field.
    await page.getByLabel('Value (optional)').fill('lots');
    await page.getByLabel('Currency (ISO 4217, with a value)').fill('EUR');
    await page.getByRole('button', { name: 'Create conversion event' }).click();
    await page.waitForLoadState();
    expect(await page.getByLabel('Value (optional)').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field-error[data-field="value"]').textContent()).toMatch(/number/i);

    expect((await definitions()).length).toBe(before);
    takeErrorPageLoads(admin, '/admin/conversions');
    expect(admin.consoleErrors).toEqual([]);
  });

  it('CONV-8: the list shows the ledger\'s counts sent / failed / skipped as the API reports them', async () => {
    const [definition] = await definitions();
    await submitForm(stack, formId, { email: 'console.events.1@example.org', fields: { firstname: 'Ada' } });
    const details = await eventually(
      async () => {
        const res = await api('GET', `/api/conversion-events/${definition.id}`);
        return res.body.counts.pending === 0 && res.body.counts.total >= 1 ? res.body : undefined;
      },
      { timeoutMs: 60_000, what: 'the submission settled in the ledger' },
    );
    const { page } = admin;
    await page.goto(url('/admin/conversions'));
    const card = page.locator(`li.definition[data-definition="${definition.id}"]`);
    for (const status of ['sent', 'failed', 'skipped'] as const) {
      expect(Number(await card.locator(`.count-${status}`).textContent()), status).toBe(details.counts[status]);
    }
    for (const reason of details.counts.reasons.filter((r: { status: string }) => r.status !== 'pending')) {
      expect(await card.locator(`.reasons li[data-code="${reason.code}"]`).textContent()).toContain(String(reason.count));
    }
    await admin.screenshot('events-04-conversions-counts');
    expect(admin.consoleErrors).toEqual([]);
  });

  it('switching off (by keyboard), replacing a legacy event and deleting are what the API then shows', async () => {
    const { page } = admin;
    const [definition] = await definitions();
    await page.goto(url('/admin/conversions'));
    const toggle = page.getByRole('switch', { name: 'Sending Quote requests to Facebook' });
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(url('/admin/conversions?notice=switched'));
    expect((await api('GET', `/api/conversion-events/${definition.id}`)).body.enabled).toBe(false);
    expect(await page.getByRole('switch', { name: 'Sending Quote requests to Facebook' }).getAttribute('aria-checked')).toBe('false');

    // CONV-8: a legacy Facebook lifecycle event (as migrated from the old integration) is replaced.
    const legacy = await api('POST', '/api/conversion-events', {
      name: 'MQL (legacy)', network: 'facebook', adAccountId: externalId, trigger: { kind: 'lifecycle_stage', stages: ['marketingqualifiedlead'] }, pixelId: seeded.accounts[0].pixelId, api: 'legacy',
    });
    expect(legacy.status).toBe(201);
    await page.goto(url('/admin/conversions'));
    await page.locator(`li.definition[data-definition="${legacy.body.id}"]`).getByRole('link', { name: 'Replace with enhanced API' }).click();
    await admin.screenshot('events-05-conversion-replace');
    await page.getByLabel('Name', { exact: true }).fill('MQL');
    await page.getByRole('button', { name: 'Replace' }).click();
    await page.waitForURL(url('/admin/conversions?notice=replaced'));
    const after = await definitions();
    const replaced = after.find((d) => d.id === legacy.body.id);
    const replacement = after.find((d) => d.replaces === legacy.body.id);
    expect(replaced).toMatchObject({ status: 'replaced', replacedBy: replacement.id });
    expect(replacement).toMatchObject({ name: 'MQL', api: 'enhanced', status: 'active', trigger: { kind: 'lifecycle_stage', stages: ['marketingqualifiedlead'] } });

    await page.locator(`li.definition[data-definition="${definition.id}"]`).getByRole('link', { name: 'Delete' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Delete conversion event?');
    await admin.screenshot('events-06-conversion-delete');
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(url('/admin/conversions?notice=deleted'));
    expect((await api('GET', `/api/conversion-events/${definition.id}`)).status).toBe(404);
    expect(await page.locator(`li.definition[data-definition="${definition.id}"]`).count()).toBe(0);
    expect(admin.consoleErrors).toEqual([]);
  });

  it('LEAD-5: the lead sync page shows the sandbox\'s lead counts per form, and "reconcile now" stores a missed lead without a reload', async () => {
    const fb = sandboxes.control('facebook');
    const form = seeded.accounts[0].formIds[0] as string;
    // A lead the network makes visible late (created "three days ago": behind the poll cursor) and
    // announces to nobody (no webhook subscribed): only a reconciliation finds it.
    await fb.post('/_sandbox/clock', { advanceSeconds: -3 * 86_400 });
    const pushed = await fb.post('/_sandbox/leads', { formId: form, leads: [{ email: 'late.lead@example.org', fullName: 'Late Lead', adId: seeded.ads.byKind.lead[0] }] });
    await fb.post('/_sandbox/clock', { advanceSeconds: 3 * 86_400 });
    const lateId = pushed.leads[0].id as string;
    const atNetwork = seeded.leads.total + 1;
    expect(await stack.db.models.Lead.countDocuments({ accountKey: accountId, leadId: lateId })).toBe(0);

    const { page } = admin;
    await page.goto(url('/admin/lead-sync'));
    const section = page.locator(`section.lead-sync[data-account="${accountId}"]`);
    expect(await section.locator('.lead-sync-switch').textContent()).toBe('on, running');
    const storedSum = async () => (await section.locator('.leads-stored').allTextContents()).reduce((n, t) => n + Number(t), 0);
    expect(await storedSum()).toBe(seeded.leads.total);
    await admin.screenshot('events-07-lead-sync');

    await section.getByRole('button', { name: 'Reconcile now', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/admin/lead-sync' && u.searchParams.get('reconciling') === accountId);
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations += 1;
    });
    // htmx replaces the section once the workflow reports the reconciliation.
    const refreshed = page.locator(`section.lead-sync[data-account="${accountId}"]`);
    await eventually(async () => !(await refreshed.locator('.last-reconcile').textContent())?.includes('reconciling'), { timeoutMs: 60_000, what: 'the reconciliation in the page' });
    const atNetworkShown = (await refreshed.locator('.leads-at-network').allTextContents()).map(Number);
    const storedShown = (await refreshed.locator('.leads-stored').allTextContents()).map(Number);
    expect(atNetworkShown.reduce((a, b) => a + b, 0)).toBe(atNetwork);
    expect(storedShown).toEqual(atNetworkShown);
    expect(navigations).toBe(0);
    expect(await stack.db.models.Lead.countDocuments({ accountKey: accountId, leadId: lateId })).toBe(1);
    await admin.screenshot('events-08-lead-sync-reconciled');
    expect(admin.consoleErrors).toEqual([]);
  });

  /** The sandbox's own numbers per ad (Graph insights, the same call the network's Ads Manager answers). */
  async function sandboxInsights(from: string, to: string): Promise<Map<string, { impressions: number; clicks: number }>> {
    for (const token of issuedSecrets(sandboxes, 'facebook')) {
      const query = new URLSearchParams({ level: 'ad', fields: 'ad_id,impressions,clicks,spend', time_range: JSON.stringify({ since: from, until: to }), limit: '500', access_token: token });
      const res = await fetch(`${sandboxes.running.urls.facebook}/v25.0/${externalId}/insights?${query.toString()}`);
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
    const { page } = admin;
    for (const [i, range] of ranges.entries()) {
      const expected = await sandboxInsights(range.from, range.to);
      // The metrics workflow syncs on its own clock; wait until what it stored matches the network.
      await eventually(
        async () => {
          const res = await api('GET', `/api/reports/ads?accountId=${encodeURIComponent(accountId)}&from=${range.from}&to=${range.to}`);
          return res.status === 200 && [...expected].every(([adId, m]) => res.body.rows.some((r: any) => r.adId === adId && r.impressions === m.impressions && r.clicks === m.clicks));
        },
        { timeoutMs: 60_000, what: `metrics of ${range.from}..${range.to} synced` },
      );
      await page.goto(url('/admin/reports'));
      await page.getByLabel('Ad account').selectOption(accountId);
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
      await admin.screenshot(`events-09-report-${i + 1}`);
    }

    // A range that ends before it starts is refused next to "From", as the API refuses it.
    await page.goto(url(`/admin/reports?accountId=${encodeURIComponent(accountId)}&from=${day(0)}&to=${day(-1)}`));
    expect(await page.getByLabel('From', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field-error[data-field="from"]').textContent()).toBe('from must not be after to');
    takeErrorPageLoads(admin, '/admin/reports');
    expect(admin.consoleErrors).toEqual([]);
  });

  it('ATT-1…ATT-3: contacts are searched by email and show why they were (not) credited, as the API explains it', async () => {
    const leadContact = await stack.db.models.Contact.findOne({ fbLeadId: { $ne: null }, 'attribution.attributed': true }).lean();
    expect(leadContact).toBeTruthy();
    const credited = (await api('GET', `/api/contacts/${leadContact!._id}/attribution`)).body;
    const submitted = (await api('GET', `/api/contacts?email=${encodeURIComponent('console.events.1@example.org')}`)).body.items[0];
    const notCredited = (await api('GET', `/api/contacts/${submitted.id}/attribution`)).body;
    expect(notCredited.attributed).toBe(false);

    const { page } = admin;
    await page.goto(url('/admin/contacts'));
    await admin.screenshot('events-10-contacts');
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
      await admin.screenshot(`events-11-contact-${explained.attributed ? 'credited' : 'not-credited'}`);
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
    expect(admin.consoleErrors).toEqual([]);
  });

  it('usable at phone width: every page at 375 px without horizontal scrolling, screenshotted', async () => {
    const phone = await openConsole(chromium.browser, { width: 375, height: 800 });
    try {
      await signIn(phone, stack);
      const contact = await stack.db.models.Contact.findOne().lean();
      const pages = {
        conversions: '/admin/conversions',
        'conversion-form': '/admin/conversions/new',
        'lead-sync': '/admin/lead-sync',
        report: `/admin/reports?accountId=${encodeURIComponent(accountId)}`,
        contacts: '/admin/contacts',
        contact: `/admin/contacts/${contact!._id}`,
      };
      for (const [name, path] of Object.entries(pages)) {
        await phone.page.goto(url(path));
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
  });

  it('acceptance 6: without a session the pages redirect to sign-in; a POST without the CSRF token changes nothing', async () => {
    const anonymous = await openConsole(chromium.browser);
    try {
      for (const path of ['/admin/conversions', '/admin/conversions/new', '/admin/lead-sync', '/admin/reports', '/admin/contacts']) {
        await anonymous.page.goto(url(path));
        const landed = new URL(anonymous.page.url());
        expect(landed.pathname, path).toBe('/admin/sign-in');
        expect(landed.searchParams.get('next')).toBe(path);
      }
    } finally {
      await anonymous.close();
    }
    const [definition] = (await definitions()).filter((d) => d.status === 'active');
    // Signed in (the cookie goes along), but no token: refused, the definition stays.
    for (const form of [{ enabled: 'false' }, { enabled: 'false', _csrf: 'forged' }] as Record<string, string>[]) {
      const res = await admin.context.request.post(url(`/admin/conversions/${definition.id}/enabled`), { form, maxRedirects: 0 });
      expect(res.status()).toBe(403);
    }
    const res = await admin.context.request.post(url(`/admin/conversions/${definition.id}/delete`), { form: {}, maxRedirects: 0 });
    expect(res.status()).toBe(403);
    const after = (await api('GET', `/api/conversion-events/${definition.id}`)).body;
    expect(after).toMatchObject({ status: 'active', enabled: definition.enabled });
  });
});
