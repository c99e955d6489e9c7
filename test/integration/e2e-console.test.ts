import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountWorkflowId } from '../../workflows/account-definitions';
import { AutoTrackingKey } from '../../workflows/search-attributes';
import { useBrowser } from '../support/browser';
import { openConsole, SCREENSHOT_DIR, signIn, takeErrorPageLoads, type ConsoleSession } from '../support/console';
import { useSandboxes } from '../support/sandboxes';
import { eventually, useStack } from '../support/stack';
import { externalIdFor, seededAccountIds } from '../support/tracking-helpers';

/**
 * Issue 13 in headless Chromium against the real stack: the admin console's session, the OAuth
 * connect flow through the sandbox's consent page (ACC-2, ACC-3), the accounts page's switches
 * (ACC-4, LEAD-1) and disconnect (ACC-6), CSRF and the sign-in redirect. Every page visited is
 * screenshotted under test-results/screenshots/.
 */
describe('admin console and OAuth connect flow in a real browser (ACC-2, ACC-3, ACC-4, ACC-6)', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '2' }) });
  const chromium = useBrowser();
  let seeded: { user: { handle: string }; accounts: { id: string; name: string }[] };
  let admin: ConsoleSession;

  beforeAll(async () => {
    seeded = await sandboxes.seed('facebook', { accounts: 3, adsPerAccount: 4 });
    admin = await openConsole(chromium.browser);
    await signIn(admin, stack);
  });
  afterAll(async () => {
    await admin?.close();
  });

  const stored = async () => ({
    connections: await stack.db.models.Connection.countDocuments(),
    accounts: await stack.db.models.AdAccount.countDocuments(),
  });
  const facebookCards = () => admin.page.locator('#network-facebook li.account');

  it('acceptance 1 (Facebook): Connect → consent page → Allow → pick two of three → both appear, the first sweep shows without a reload', async () => {
    const { page } = admin;
    await admin.screenshot('01-accounts-empty');
    await page.getByRole('link', { name: 'Connect Facebook account' }).click();
    await page.waitForURL((url) => url.pathname === '/v25.0/dialog/oauth');
    const authorize = new URL(page.url());
    expect(authorize.origin).toBe(sandboxes.running.urls.facebook);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${stack.api.url}/oauth/facebook/callback`);
    expect(authorize.searchParams.get('response_type')).toBe('code');
    expect(authorize.searchParams.get('scope')?.split(',')).toEqual(expect.arrayContaining(['ads_management', 'ads_read', 'leads_retrieval', 'business_management']));
    expect(authorize.searchParams.get('state')).toBeTruthy();
    await admin.screenshot('02-facebook-consent');

    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/admin/connections/facebook/'));
    const boxes = page.locator('input[name=externalId]');
    expect(await boxes.count()).toBe(3);
    await admin.screenshot('03-account-picker');
    const [first, second] = seeded.accounts;
    await page.getByLabel(first!.name).check();
    await page.getByLabel(second!.name).check();
    await page.getByRole('button', { name: 'Connect selected accounts' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/accounts');

    const connected = await stack.db.models.AdAccount.find().lean();
    expect(connected.map((a) => a.externalId).sort()).toEqual([first!.id, second!.id].sort());
    expect(await facebookCards().count()).toBe(2);

    // From here on the page is not reloaded: htmx replaces the sweep cell once the first sweep is done.
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations += 1;
    });
    for (const card of await facebookCards().all()) {
      await eventually(async () => !(await card.locator('.last-sweep').textContent())?.includes('running'), { timeoutMs: 60_000, what: 'the first sweep in the page' });
      const counts = await Promise.all(['tracked', 'pending', 'error', 'excluded'].map(async (s) => Number(await card.locator(`.count-${s}`).textContent())));
      expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    }
    expect(navigations).toBe(0);
    await admin.screenshot('04-accounts-connected');
    expect(admin.consoleErrors).toEqual([]);
  });

  it('ACC-4 acceptance 2: auto-tracking off and on from the accounts page; the AutoTracking search attribute follows', async () => {
    const { page } = admin;
    const card = facebookCards().first();
    const accountId = (await card.getAttribute('data-account'))!;
    const account = (await stack.db.models.AdAccount.findById(accountId).lean())!;
    const handle = stack.client.workflow.getHandle(accountWorkflowId('facebook', account.externalId));
    const autoTracking = async () => (await handle.describe()).typedSearchAttributes.get(AutoTrackingKey);

    await card.getByRole('switch', { name: 'Auto-tracking: on' }).click();
    await page.waitForLoadState();
    await expect.poll(() => facebookCards().first().getByRole('switch', { name: /^Auto-tracking/ }).textContent()).toContain('off');
    expect(await autoTracking()).toBe(false);
    expect((await stack.db.models.AdAccount.findById(accountId).lean())!.autoTracking).toBe(false);
    await admin.screenshot('05-auto-tracking-off');

    await facebookCards().first().getByRole('switch', { name: 'Auto-tracking: off' }).click();
    await expect.poll(() => facebookCards().first().getByRole('switch', { name: /^Auto-tracking/ }).textContent()).toContain('on');
    expect(await autoTracking()).toBe(true);

    await facebookCards().first().getByRole('switch', { name: 'Lead sync: off' }).click();
    await expect.poll(() => facebookCards().first().getByRole('switch', { name: /^Lead sync/ }).textContent()).toContain('on');
    expect((await stack.db.models.LeadSyncAccount.findById(accountId).lean())?.enabled).toBe(true);
    expect(admin.consoleErrors).toEqual([]);
  });

  it('ACC-2: a revoked grant shows "Needs reconnect"; Reconnect through the consent page resumes the account', async () => {
    const { page } = admin;
    await sandboxes.control('facebook').post('/_sandbox/tokens/revoke', { user: seeded.user.handle, reason: 'password_changed' });
    const parked = await eventually(async () => {
      // Both connected accounts share the revoked grant: wait until both have parked.
      const accounts = await stack.db.models.AdAccount.find({ network: 'facebook', status: 'needs_reconnect' }).sort({ _id: 1 }).lean();
      return accounts.length === 2 ? accounts : undefined;
    }, { timeoutMs: 60_000, what: 'both Facebook accounts in needs_reconnect' });
    await page.goto(`${stack.api.url}/admin/accounts`);
    const card = page.locator(`li.account[data-account="${parked[0]!._id}"]`);
    expect(await card.locator('.status').textContent()).toBe('Needs reconnect');
    await admin.screenshot('05b-needs-reconnect');

    await card.getByRole('link', { name: 'Reconnect' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/admin/connections/facebook/'));
    const box = page.locator(`input[name=externalId][value="${parked[0]!.externalId}"]`);
    expect(await box.isChecked()).toBe(true);
    expect(await page.locator(`input[name=externalId][value="${parked[1]!.externalId}"]`).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Connect selected accounts' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/accounts');
    await eventually(async () => (await stack.db.models.AdAccount.countDocuments({ network: 'facebook', status: 'active' })) === 2, { timeoutMs: 60_000, what: 'both accounts active again' });
    await page.reload();
    expect(await card.locator('.status').textContent()).toBe('Active');
    expect(admin.consoleErrors).toEqual([]);
  });

  it('acceptance 1: Cancel on the consent page ends on a clear error page and stores nothing', async () => {
    const { page } = admin;
    const before = await stored();
    await page.goto(`${stack.api.url}/admin/accounts`);
    await page.getByRole('link', { name: 'Connect Facebook account' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL((url) => url.pathname === '/oauth/facebook/callback');
    expect(new URL(page.url()).searchParams.get('error')).toBe('access_denied');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Connection cancelled');
    expect(await page.locator('#error-message').textContent()).toContain('Nothing was connected');
    expect(await page.content()).not.toMatch(/at \w+ \(|Error:/);
    await admin.screenshot('06-consent-cancelled');
    expect(await stored()).toEqual(before);
    takeErrorPageLoads(admin, '/oauth/facebook/callback');
    expect(admin.consoleErrors).toEqual([]);
  });

  it('acceptance 1: a tampered state ends on a clear error page and nothing is exchanged or stored', async () => {
    const { page } = admin;
    const before = await stored();
    await page.goto(`${stack.api.url}/connect/facebook`);
    await page.waitForURL((url) => url.pathname === '/v25.0/dialog/oauth');
    // An attacker's edit of the state the network echoes back.
    const stateField = page.locator('form[method=post] input[name=state]');
    const [network, nonce, ...rest] = (await stateField.inputValue()).split('.');
    const tampered = [network, `${nonce!.slice(0, -1)}${nonce!.endsWith('A') ? 'B' : 'A'}`, ...rest].join('.');
    await stateField.evaluate((input: { value: string }, value: string) => {
      input.value = value;
    }, tampered);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.pathname === '/oauth/facebook/callback');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Connection failed');
    expect(await page.locator('#error-message').textContent()).toContain('not started from this browser session');
    await admin.screenshot('07-tampered-state');
    expect(await stored()).toEqual(before);
    takeErrorPageLoads(admin, '/oauth/facebook/callback');
    expect(admin.consoleErrors).toEqual([]);
  });

  it('acceptance 1: a reused code (and a replayed callback) end on a clear error page with nothing stored', async () => {
    const { page } = admin;
    await page.goto(`${stack.api.url}/connect/facebook`);
    const callback = page.waitForRequest((request) => request.url().startsWith(`${stack.api.url}/oauth/facebook/callback`));
    await page.getByRole('button', { name: 'Allow' }).click();
    const firstCallback = new URL((await callback).url());
    await page.waitForURL((url) => url.pathname.startsWith('/admin/connections/facebook/'));
    const before = await stored();

    // The same callback again: its state is spent.
    await page.goto(firstCallback.toString());
    expect(await page.locator('#error-message').textContent()).toContain('already used');

    // A fresh state with the spent code: the network refuses the code.
    await page.goto(`${stack.api.url}/connect/facebook`);
    const freshState = new URL(page.url()).searchParams.get('state')!;
    const replay = new URL(`${stack.api.url}/oauth/facebook/callback`);
    replay.searchParams.set('code', firstCallback.searchParams.get('code')!);
    replay.searchParams.set('state', freshState);
    await page.goto(replay.toString());
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Connection failed');
    expect(await page.locator('#error-message').textContent()).toContain('Nothing was connected');
    await admin.screenshot('08-reused-code');
    expect(await stored()).toEqual(before);
    takeErrorPageLoads(admin, '/oauth/facebook/callback');
    expect(admin.consoleErrors).toEqual([]);
  });

  it.each([
    { network: 'google' as const, authorizePath: '/o/oauth2/v2/auth', scope: 'https://www.googleapis.com/auth/adwords', extra: { access_type: 'offline', prompt: 'consent', code_challenge_method: 'S256' } },
    { network: 'linkedin' as const, authorizePath: '/oauth/v2/authorization', scope: 'r_ads rw_ads r_ads_reporting r_marketing_leadgen_automation', extra: {} },
  ])('acceptance 1 ($network): Connect → consent page → Allow → pick two of three → both appear with the first sweep', async ({ network, authorizePath, scope, extra }) => {
    const externalIds = seededAccountIds(network, await sandboxes.seed(network, { accounts: 3, adsPerAccount: 4 })).map((id) => externalIdFor(network, id));
    const { page } = admin;
    await page.goto(`${stack.api.url}/admin/accounts`);
    await page.getByRole('link', { name: network === 'google' ? 'Connect Google Ads account' : 'Connect LinkedIn account' }).click();
    await page.waitForURL((url) => url.pathname === authorizePath);
    const authorize = new URL(page.url());
    expect(authorize.origin).toBe(sandboxes.running.urls[network]);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${stack.api.url}/oauth/${network}/callback`);
    expect(authorize.searchParams.get('scope')).toContain(scope);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject(extra);
    await admin.screenshot(`13-${network}-consent`);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.pathname.startsWith(`/admin/connections/${network}/`));
    for (const id of externalIds) expect(await page.locator(`input[name=externalId][value="${id}"]`).count(), id).toBe(1);
    await admin.screenshot(`14-${network}-picker`);
    for (const id of externalIds.slice(0, 2)) await page.locator(`input[name=externalId][value="${id}"]`).check();
    await page.getByRole('button', { name: 'Connect selected accounts' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/accounts');

    const stored = await stack.db.models.AdAccount.find({ network }).lean();
    expect(stored.map((a) => a.externalId).sort()).toEqual(externalIds.slice(0, 2).sort());
    const cards = page.locator(`#network-${network} li.account`);
    expect(await cards.count()).toBe(2);
    for (const card of await cards.all()) {
      await eventually(async () => !(await card.locator('.last-sweep').textContent())?.includes('running'), { timeoutMs: 60_000, what: `the first ${network} sweep in the page` });
    }
    await admin.screenshot(`15-${network}-connected`);
    expect(admin.consoleErrors).toEqual([]);
  });

  it('acceptance 6: without a session every console page redirects to sign-in', async () => {
    const anonymous = await openConsole(chromium.browser);
    try {
      const accountId = (await stack.db.models.AdAccount.findOne().lean())!._id;
      for (const path of ['/admin', '/admin/accounts', `/admin/accounts/${encodeURIComponent(accountId)}/disconnect`, '/admin/connections/facebook/00000000-0000-4000-8000-000000000000', '/connect/facebook']) {
        await anonymous.page.goto(`${stack.api.url}${path}`);
        const landed = new URL(anonymous.page.url());
        expect(landed.pathname, path).toBe('/admin/sign-in');
      }
      await anonymous.screenshot('09-sign-in');
      await anonymous.page.getByLabel('Admin token').fill('not-the-token-at-all-0000000');
      await anonymous.page.getByRole('button', { name: 'Sign in' }).click();
      expect(await anonymous.page.getByRole('alert').textContent()).toContain('not the admin token');
      takeErrorPageLoads(anonymous, '/admin/sign-in');
      expect(anonymous.consoleErrors).toEqual([]);
    } finally {
      await anonymous.close();
    }
  });

  it('acceptance 6: a cross-site or same-site POST without the CSRF token changes nothing', async () => {
    const card = facebookCards().first();
    await admin.page.goto(`${stack.api.url}/admin/accounts`);
    const accountId = (await card.getAttribute('data-account'))!;
    const target = `${stack.api.url}/admin/accounts/${encodeURIComponent(accountId)}/auto-tracking`;
    const attack = `<!doctype html><html lang="en"><head><title>win a prize</title></head><body>
      <form method="post" action="${target}"><input type="hidden" name="enabled" value="false"><button type="submit">Claim</button></form></body></html>`;
    // Another site (cookie not sent), and a page on the same host but another port (cookie sent: same site).
    const cases = [
      { origin: 'http://attacker.example', outcome: 'sign-in' },
      { origin: sandboxes.running.urls.landing, outcome: 'refused' },
    ];
    for (const { origin, outcome } of cases) {
      const page = await admin.context.newPage();
      await page.route(`${origin}/prize`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: attack }));
      await page.goto(`${origin}/prize`);
      await page.getByRole('button', { name: 'Claim' }).click();
      await page.waitForLoadState();
      if (outcome === 'sign-in') {
        // SameSite=Lax: the session cookie does not go with another site's POST.
        expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
      } else {
        // Same site (cookies ignore ports): the cookie goes along, the missing CSRF token refuses the form.
        expect(await page.textContent('h1')).toBe('This form has expired');
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, '10-csrf-refused.png') });
      }
      await page.close();
      expect((await stack.db.models.AdAccount.findById(accountId).lean())!.autoTracking).toBe(true);
    }
  });

  it('ACC-6: Disconnect asks for confirmation, then the account shows as disconnected', async () => {
    const { page } = admin;
    await page.goto(`${stack.api.url}/admin/accounts`);
    const card = facebookCards().nth(1);
    const accountId = (await card.getAttribute('data-account'))!;
    await card.getByRole('link', { name: 'Disconnect' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Disconnect ad account?');
    await admin.screenshot('11-disconnect-confirm');
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/accounts');
    expect(await page.locator(`li.account[data-account="${accountId}"] .status`).textContent()).toBe('Disconnected');
    expect((await stack.db.models.AdAccount.findById(accountId).lean())!.status).toBe('disconnected');
    expect(admin.consoleErrors).toEqual([]);
  });

  it('is usable at phone width: no horizontal scrolling on the accounts page', async () => {
    const phone = await openConsole(chromium.browser, { width: 390, height: 844 });
    try {
      await signIn(phone, stack);
      const overflow = await phone.page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      await phone.screenshot('12-accounts-phone');
      expect(phone.consoleErrors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
}, 240_000);
