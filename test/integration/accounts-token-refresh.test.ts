import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { useSandboxes } from '../support/sandboxes';
import { connectAccount, connectNetwork, externalIdFor, getAccount, seedAndConnect, seededUser, sweepNow, waitForSweeps } from '../support/tracking-helpers';

/**
 * ACC-2 "refresh tokens before expiry", over real HTTP against the Google sandbox's OAuth server:
 * access tokens far from expiry are used as they are; one that would die within the refresh margin
 * is exchanged first, so the account keeps working past the lifetime of the token it was connected
 * with and never lands in needs_reconnect for it.
 */
describe('ACC-2 access tokens are refreshed ahead of expiry', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '2' }) });
  const world = () => sandboxes.running.google.state;
  const g = () => sandboxes.control('google');

  it('ACC-2 a token valid for an hour is not refreshed; one about to expire is, and the account keeps working after the original died', async () => {
    await g().put('/_sandbox/config', { accessTokenTtlSeconds: 3599 });
    const { seeded, account: hourly, connection: hourlyConnection } = await seedAndConnect(stack, sandboxes, 'google', { seed: 7311, accounts: 2, adsPerAccount: 6 });
    const storedAt = async (connectionId: string) => (await stack.db.models.Connection.findById(connectionId).lean())!.refreshedAt!.getTime();
    const hourlyStoredAt = await storedAt(hourlyConnection.id);
    await waitForSweeps(stack, hourly.id, 2);
    // Two sweeps later still the one token from the code exchange: nothing was refreshed needlessly.
    expect(world().accessTokens.size).toBe(1);
    expect(await storedAt(hourlyConnection.id)).toBe(hourlyStoredAt);

    // A second connection made while the network hands out five-minute tokens: inside the ten-minute margin.
    await g().put('/_sandbox/config', { accessTokenTtlSeconds: 300 });
    const issuedBefore = new Set(world().accessTokens.keys());
    const shortLived = await connectNetwork(stack, sandboxes, 'google', seededUser(seeded));
    const [connectToken] = [...world().accessTokens.keys()].filter((token) => !issuedBefore.has(token));
    expect(connectToken).toBeDefined();
    const shortLivedStoredAt = await storedAt(shortLived.id);
    const account = await connectAccount(stack, shortLived.id, externalIdFor('google', seeded.accountIds[1]));
    await waitForSweeps(stack, account.id, 1);
    // The sweep's calls ran on refreshed tokens, stored (sealed) again each time.
    expect(await storedAt(shortLived.id)).toBeGreaterThan(shortLivedStoredAt);

    // The five minutes of the token the account was connected with are up. Set on that token alone:
    // moving the sandbox clock would also kill a token refreshed a moment ago whose call is in flight.
    world().accessTokens.get(connectToken!)!.expiresAt = world().now() - 1;

    // Every call runs on a token refreshed just before it, and the account sweeps on as if nothing happened.
    const before = (await getAccount(stack, account.id)).live!.sweeps;
    await sweepNow(stack, account.id);
    const after = await getAccount(stack, account.id);
    expect(after).toMatchObject({ status: 'active' });
    expect(after.live!.sweeps).toBeGreaterThan(before);
    expect(await stack.db.models.Connection.findById(shortLived.id).lean()).toMatchObject({ status: 'active', lastError: null });
    const live = [...world().accessTokens.values()].filter((t) => t.expiresAt > world().now() && !issuedBefore.has(t.token));
    expect(live.length).toBeGreaterThan(0);
  });
});
