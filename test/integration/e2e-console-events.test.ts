import { describe, expect, it } from 'vitest';
import { openConsole, takeErrorPageLoads } from '../support/console';
import { eventually } from '../support/stack';
import { submitForm } from './conversions-support';
import { checkPhoneWidth, useEventsConsole } from './console-events-support';

const SEED = 5400;

/**
 * Issue 13, conversion events in the console (CONV-2…CONV-8, acceptance 4 and 6), in headless
 * Chromium against the real stack: every action goes through the page and is checked at the API.
 * Screenshots of every page at 1280 and 375 px go to test-results/screenshots/; a browser console
 * error fails the test.
 */
describe('console: conversion events (issue 13)', () => {
  const t = useEventsConsole(SEED);
  const { stack, url, api } = t;
  const definitions = async () => (await api('GET', '/api/conversion-events')).body.items as any[];

  it('acceptance 4: a conversion event created from the console is stored as the API defines it', async () => {
    const { page } = t.admin;
    await page.goto(url('/admin/conversions'));
    await t.admin.screenshot('events-01-conversions-empty');
    await page.getByRole('link', { name: 'New conversion event' }).click();
    await page.waitForURL(url('/admin/conversions/new'));
    await t.admin.screenshot('events-02-conversion-form');
    await page.getByLabel('Name (optional)', { exact: true }).fill('Quote requests to Facebook');
    await page.getByLabel('Ad account').selectOption(t.accountId);
    await page.getByLabel('A form of this system is submitted').check();
    await page.getByLabel('Form (form-submission trigger)').selectOption(t.formId);
    await page.getByLabel('Event name (optional)').fill('Lead');
    await page.getByLabel('Value (optional)').fill('25');
    await page.getByLabel('Currency (ISO 4217, with a value)').fill('EUR');
    await page.getByLabel('First name').check();
    await page.getByLabel('Facebook pixel (dataset) id').fill(t.seeded.accounts[0].pixelId);
    await page.getByRole('button', { name: 'Create conversion event' }).click();
    await page.waitForURL(url('/admin/conversions?notice=created'));

    const [created] = await definitions();
    expect(created).toMatchObject({
      name: 'Quote requests to Facebook',
      network: 'facebook',
      adAccountId: t.externalId,
      trigger: { kind: 'form_submission', formId: t.formId },
      eventName: 'Lead',
      value: 25,
      currency: 'EUR',
      pixelId: t.seeded.accounts[0].pixelId,
      api: 'enhanced',
      enabled: true,
    });
    expect(created.sharedFields).toMatchObject({ firstName: true, email: true, lastName: false, userAgent: true });
    expect(await page.locator(`li.definition[data-definition="${created.id}"] h3`).textContent()).toBe('Quote requests to Facebook');
    expect(t.admin.consoleErrors).toEqual([]);
  });

  it('acceptance 4: a refused conversion event shows the API\'s reason next to the field it names, and nothing is stored', async () => {
    const { page } = t.admin;
    const before = (await definitions()).length;
    // What the API answers for the same definition.
    const direct = await api('POST', '/api/conversion-events', {
      network: 'facebook', adAccountId: t.externalId, trigger: { kind: 'form_submission', formId: t.formId }, value: 5, currency: 'XYZ', pixelId: t.seeded.accounts[0].pixelId,
    });
    expect(direct.status).toBe(422);
    const problem = direct.body.error.details.problems.find((p: { field: string }) => p.field === 'currency');
    expect(problem.message).toContain('XYZ');

    await page.goto(url('/admin/conversions/new'));
    await page.getByLabel('Ad account').selectOption(t.accountId);
    await page.getByLabel('A form of this system is submitted').check();
    await page.getByLabel('Form (form-submission trigger)').selectOption(t.formId);
    await page.getByLabel('Value (optional)').fill('5');
    await page.getByLabel('Currency (ISO 4217, with a value)').fill('XYZ');
    await page.getByLabel('Facebook pixel (dataset) id').fill(t.seeded.accounts[0].pixelId);
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
    await t.admin.screenshot('events-03-conversion-refused');

    // A value that is not a number is refused by the API's schema, again next to its field.
    await page.getByLabel('Value (optional)').fill('lots');
    await page.getByLabel('Currency (ISO 4217, with a value)').fill('EUR');
    await page.getByRole('button', { name: 'Create conversion event' }).click();
    await page.waitForLoadState();
    expect(await page.getByLabel('Value (optional)').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field-error[data-field="value"]').textContent()).toMatch(/number/i);

    expect((await definitions()).length).toBe(before);
    takeErrorPageLoads(t.admin, '/admin/conversions');
    expect(t.admin.consoleErrors).toEqual([]);
  });

  it('CONV-8: the list shows the ledger\'s counts sent / failed / skipped as the API reports them', async () => {
    const [definition] = await definitions();
    await submitForm(stack, t.formId, { email: 'console.events.1@example.org', fields: { firstname: 'Ada' } });
    const details = await eventually(
      async () => {
        const res = await api('GET', `/api/conversion-events/${definition.id}`);
        return res.body.counts.pending === 0 && res.body.counts.total >= 1 ? res.body : undefined;
      },
      { timeoutMs: 60_000, what: 'the submission settled in the ledger' },
    );
    const { page } = t.admin;
    await page.goto(url('/admin/conversions'));
    const card = page.locator(`li.definition[data-definition="${definition.id}"]`);
    for (const status of ['sent', 'failed', 'skipped'] as const) {
      expect(Number(await card.locator(`.count-${status}`).textContent()), status).toBe(details.counts[status]);
    }
    for (const reason of details.counts.reasons.filter((r: { status: string }) => r.status !== 'pending')) {
      expect(await card.locator(`.reasons li[data-code="${reason.code}"]`).textContent()).toContain(String(reason.count));
    }
    await t.admin.screenshot('events-04-conversions-counts');
    expect(t.admin.consoleErrors).toEqual([]);
  });

  it('switching off (by keyboard), replacing a legacy event and deleting are what the API then shows', async () => {
    const { page } = t.admin;
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
      name: 'MQL (legacy)', network: 'facebook', adAccountId: t.externalId, trigger: { kind: 'lifecycle_stage', stages: ['marketingqualifiedlead'] }, pixelId: t.seeded.accounts[0].pixelId, api: 'legacy',
    });
    expect(legacy.status).toBe(201);
    await page.goto(url('/admin/conversions'));
    await page.locator(`li.definition[data-definition="${legacy.body.id}"]`).getByRole('link', { name: 'Replace with enhanced API' }).click();
    await t.admin.screenshot('events-05-conversion-replace');
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
    await t.admin.screenshot('events-06-conversion-delete');
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(url('/admin/conversions?notice=deleted'));
    expect((await api('GET', `/api/conversion-events/${definition.id}`)).status).toBe(404);
    expect(await page.locator(`li.definition[data-definition="${definition.id}"]`).count()).toBe(0);
    expect(t.admin.consoleErrors).toEqual([]);
  });

  it('usable at phone width: the conversion pages at 375 px without sideways scrolling', async () => {
    const [definition] = (await definitions()).filter((d) => d.status === 'active');
    await checkPhoneWidth(t, {
      conversions: '/admin/conversions',
      'conversion-form': '/admin/conversions/new',
      'conversion-delete': `/admin/conversions/${definition.id}/delete`,
    });
  });

  it('acceptance 6: without a session the pages redirect to sign-in; a POST without the CSRF token changes nothing', async () => {
    const anonymous = await openConsole(t.browser());
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
      const res = await t.admin.context.request.post(url(`/admin/conversions/${definition.id}/enabled`), { form, maxRedirects: 0 });
      expect(res.status()).toBe(403);
    }
    const res = await t.admin.context.request.post(url(`/admin/conversions/${definition.id}/delete`), { form: {}, maxRedirects: 0 });
    expect(res.status()).toBe(403);
    const after = (await api('GET', `/api/conversion-events/${definition.id}`)).body;
    expect(after).toMatchObject({ status: 'active', enabled: definition.enabled });
  });
});
