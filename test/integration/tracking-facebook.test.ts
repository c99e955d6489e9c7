import { describe, expect, it } from 'vitest';
import { eventually, useStack } from '../support/stack';
import { useSandboxes } from '../support/sandboxes';

const REDIRECT_URI = 'https://app.example.com/oauth/callback';

describe('Facebook auto-tracking end to end', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '2' }) });

  it('connects, lists accounts, tags eligible ads and reports errors', async () => {
    const seeded = await sandboxes.seed('facebook', { accounts: 1, adsPerAccount: 12 });
    const { code } = await sandboxes.control('facebook').post('/_sandbox/oauth/codes', { user: seeded.user.handle, redirectUri: REDIRECT_URI });
    const connected = await stack.request('POST', '/api/connections', { network: 'facebook', code, redirectUri: REDIRECT_URI });
    expect(connected.status).toBe(201);
    const externalId = connected.body.adAccounts[0].externalId;
    const account = await stack.request('POST', '/api/accounts', { connectionId: connected.body.id, externalId });
    console.log(JSON.stringify(await stack.db.models.AdAccount.findById(account.body.id).lean()));
    expect(account.status).toBe(201);
    await eventually(async () => {
      const res = await stack.request('GET', `/api/accounts/${account.body.id}`);
      return res.body.live?.sweeps >= 1 ? res.body : undefined;
    }, { timeoutMs: 60_000, what: 'first sweep' });
    const ad = await stack.request('GET', `/api/ads/facebook:120200070000000023`);
    console.log(JSON.stringify(ad.body, null, 1));
  });
});
