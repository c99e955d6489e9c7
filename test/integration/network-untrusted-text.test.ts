import { describe, expect, it } from 'vitest';
import { useSandboxes } from '../support/sandboxes';
import { eventually, useStack } from '../support/stack';
import { clickAd, connectAccount, connectNetwork, getAd } from '../support/tracking-helpers';

/**
 * Trust nothing from the networks: an answer carrying U+0000 (valid JSON, but text PostgreSQL cannot
 * store) must not make the record it belongs to unstorable. Seen as a leftover of issue 15: on the
 * embedded default such an ad stalled its account's sweep page.
 */
describe('issue15 network text with U+0000', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '2' }) });

  it('issue15 a Facebook ad whose name carries U+0000 is stored without it and tagged like any other', async () => {
    const fb = sandboxes.control('facebook');
    const seeded = await sandboxes.seed('facebook', { seed: 5850, accounts: 1, adsPerAccount: 2 });
    const accountId = seeded.accounts[0].id as string;
    const odd = await fb.post('/_sandbox/ads', { accountId, kind: 'link', name: 'Spring\u0000 sale', status: 'ACTIVE', landingUrl: `${sandboxes.running.urls.landing}/p/spring` });
    const connection = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    await connectAccount(stack, connection.id, accountId);

    const stored = await eventually(async () => {
      const ad = await stack.db.models.Ad.findById(`facebook:${odd.id}`).lean();
      return ad?.trackingStatus === 'tracked' ? ad : undefined;
    }, { timeoutMs: 60_000, what: 'the ad with U+0000 in its name tracked' });
    expect(stored.name).toBe('Spring sale');
    expect((await getAd(stack, `facebook:${odd.id}`)).trackingStatus).toBe('tracked');
    expect((await clickAd(sandboxes, 'facebook', odd.id)).searchParams.get('hsa_ad')).toBe(odd.id);
  });
});
