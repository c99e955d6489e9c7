import type { Client } from '@temporalio/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, useStack } from '../support/stack';
import { useSandboxes } from '../support/sandboxes';
import {
  clickAd,
  connectAccount,
  connectNetwork,
  getAccount,
  getAd,
  listAds,
  waitForSweeps,
} from '../support/tracking-helpers';

/**
 * The account lifecycle through the API (ACC-2, ACC-4, ACC-6, OPS-1, OPS-2): auto-tracking switch,
 * token revocation → needs_reconnect → reconnect, disconnection, and the search attributes and query
 * operators use in the Web UI / `temporal workflow list`.
 */

/** Workflow ids a visibility query finds (what `temporal workflow list --query …` prints). */
async function visible(client: Client, query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of client.workflow.list({ query })) ids.push(execution.workflowId);
  return ids;
}

describe('Account lifecycle through the API', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '2' }) });
  const fb = () => sandboxes.control('facebook');
  let seeded: any;
  let connectionId: string;
  const inQueue = () => `TaskQueue = '${stack.taskQueue}'`;
  const accountIdOf = (index: number): string => seeded.accounts[index].id;

  /** Tokens the sandbox issued for one new connection (for revoking just that grant). */
  async function connectCapturingTokens(): Promise<{ id: string; tokens: string[] }> {
    const before = new Set(sandboxes.running.facebook.state.world.tokens.keys());
    const connection = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    return { id: connection.id, tokens: [...sandboxes.running.facebook.state.world.tokens.keys()].filter((t) => !before.has(t)) };
  }

  beforeAll(async () => {
    seeded = await sandboxes.seed('facebook', { seed: 4021, accounts: 4, adsPerAccount: 12 });
    connectionId = (await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle)).id;
  });

  it('ACC-4 switching auto-tracking off stops new tagging without stripping anything; on resumes; AutoTracking follows', async () => {
    const accountId = accountIdOf(0);
    const key = `facebook:${accountId}`;
    const account = await connectAccount(stack, connectionId, accountId);
    await waitForSweeps(stack, key, 1);
    const tagged = await listAds(stack, key, 'tracked');
    expect(tagged.length).toBeGreaterThan(0);
    const tagsBefore = new Map((await fb().get('/_sandbox/state')).ads.map((ad: { id: string; urlTags: string }) => [ad.id, ad.urlTags]));

    const invalid = await stack.request('POST', `/api/accounts/${key}/auto-tracking`, { enabled: 'no' });
    expect(invalid.status).toBe(400);
    const off = await stack.request('POST', `/api/accounts/${key}/auto-tracking`, { enabled: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: key, autoTracking: false, live: { autoTracking: false, status: 'active' } });
    expect((await getAccount(stack, key)).autoTracking).toBe(false);
    await eventually(async () => (await visible(stack.client, `${inQueue()} AND AutoTracking = false`)).includes(account.workflowId), { what: 'AutoTracking = false in visibility' });

    const created = await fb().post('/_sandbox/ads', { accountId, kind: 'link', status: 'ACTIVE', name: 'Added while off' });
    const live = (await getAccount(stack, key)).live!;
    await waitForSweeps(stack, key, live.sweeps + 2);
    const whileOff = await getAd(stack, `facebook:${created.id}`);
    expect(whileOff.trackingStatus).toBe('excluded');
    expect(whileOff.error?.code).toBe('AUTO_TRACKING_OFF');
    expect((await clickAd(sandboxes, 'facebook', created.id)).searchParams.has('hsa_ad')).toBe(false);
    // Nothing stripped: every ad keeps the url_tags it had, the tagged ones keep their parameters.
    const tagsWhileOff = (await fb().get('/_sandbox/state')).ads as { id: string; urlTags: string }[];
    for (const ad of tagsWhileOff) if (tagsBefore.has(ad.id)) expect(ad.urlTags, ad.id).toBe(tagsBefore.get(ad.id));
    for (const ad of tagged) expect((await clickAd(sandboxes, 'facebook', ad.adId)).searchParams.get('hsa_ad')).toBe(ad.adId);
    expect((await listAds(stack, key, 'tracked')).map((ad) => ad.adId).sort()).toEqual(tagged.map((ad) => ad.adId).sort());

    const on = await stack.request('POST', `/api/accounts/${key}/auto-tracking`, { enabled: true });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ autoTracking: true, live: { autoTracking: true } });
    await eventually(async () => (await getAd(stack, `facebook:${created.id}`)).trackingStatus === 'tracked', { what: 'the new ad tagged after switching on' });
    expect((await clickAd(sandboxes, 'facebook', created.id)).searchParams.get('hsa_ad')).toBe(created.id);
    await eventually(async () => (await visible(stack.client, `${inQueue()} AND AutoTracking = true AND AdAccountId = '${accountId}'`)).includes(account.workflowId), { what: 'AutoTracking = true' });
    // ACC-5's input: the switch history.
    const stored = await stack.db.models.AdAccount.findById(key).lean();
    expect(stored!.autoTrackingHistory.map((h) => h.enabled)).toEqual([true, false, true]);
  });

  it('ACC-2 a revoked token parks the account in needs_reconnect; reconnecting resumes it with nothing lost', async () => {
    const accountId = accountIdOf(1);
    const key = `facebook:${accountId}`;
    const own = await connectCapturingTokens();
    expect(own.tokens.length).toBeGreaterThan(0);
    const account = await connectAccount(stack, own.id, accountId);
    await waitForSweeps(stack, key, 1);
    const adsBefore = await listAds(stack, key);
    const auditBefore = await stack.db.models.AdAudit.countDocuments({ accountKey: key });

    for (const accessToken of own.tokens) await fb().post('/_sandbox/tokens/revoke', { accessToken, reason: 'password_changed' });
    const parked = await eventually(async () => {
      const current = await getAccount(stack, key);
      return current.status === 'needs_reconnect' && current.live?.status === 'needs_reconnect' ? current : undefined;
    }, { what: 'needs_reconnect' });
    expect(parked.live?.lastError).toMatch(/reconnect/i);
    await eventually(async () => (await visible(stack.client, `${inQueue()} AND AccountStatus = 'needs_reconnect'`)).includes(account.workflowId), { what: 'AccountStatus = needs_reconnect' });
    expect((await stack.db.models.Connection.findById(own.id).lean())?.status).toBe('needs_reconnect');

    // An ad created while parked waits; nothing is lost meanwhile.
    const created = await fb().post('/_sandbox/ads', { accountId, kind: 'link', status: 'ACTIVE', name: 'Added while parked' });
    const sweepsWhileParked = parked.live!.sweeps;
    expect((await listAds(stack, key)).map((ad) => [ad.adId, ad.trackingStatus])).toEqual(adsBefore.map((ad) => [ad.adId, ad.trackingStatus]));

    const wrongNetwork = await stack.request('POST', `/api/accounts/${key}/reconnect`, { connectionId: 'not-a-uuid' });
    expect(wrongNetwork.status).toBe(400);
    const fresh = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    const reconnect = await stack.request('POST', `/api/accounts/${key}/reconnect`, { connectionId: fresh.id });
    expect(reconnect.status).toBe(202);
    const resumed = await eventually(async () => {
      const current = await getAccount(stack, key);
      return current.status === 'active' && (current.live?.sweeps ?? 0) > sweepsWhileParked ? current : undefined;
    }, { what: 'the account to resume' });
    expect(resumed.connectionId).toBe(fresh.id);
    await eventually(async () => (await getAd(stack, `facebook:${created.id}`).catch(() => undefined))?.trackingStatus === 'tracked', { what: 'the parked ad tagged after reconnect' });
    await eventually(async () => (await visible(stack.client, `${inQueue()} AND AccountStatus = 'active' AND AdAccountId = '${accountId}'`)).includes(account.workflowId), { what: 'AccountStatus = active' });
    const adsAfter = new Map((await listAds(stack, key)).map((ad) => [ad.adId, ad]));
    for (const ad of adsBefore) expect(adsAfter.get(ad.adId)?.trackingStatus).toBe(ad.trackingStatus);
    expect(await stack.db.models.AdAudit.countDocuments({ accountKey: key })).toBeGreaterThan(auditBefore);
  });

  it('ACC-2 the expireAllTokens fault also parks the account, and a reconnect resumes it', async () => {
    const accountId = accountIdOf(2);
    const key = `facebook:${accountId}`;
    const own = await connectCapturingTokens();
    await connectAccount(stack, own.id, accountId);
    await waitForSweeps(stack, key, 1);
    await fb().put('/_sandbox/faults', { expireAllTokens: true });
    try {
      await eventually(async () => (await getAccount(stack, key)).status === 'needs_reconnect', { what: 'needs_reconnect after token expiry' });
    } finally {
      await fb().put('/_sandbox/faults', { expireAllTokens: false });
    }
    // Other accounts on their own (still valid) grants may also have been parked by the fault; this one is reconnected.
    const fresh = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    expect((await stack.request('POST', `/api/accounts/${key}/reconnect`, { connectionId: fresh.id })).status).toBe(202);
    await eventually(async () => (await getAccount(stack, key)).live?.status === 'active', { what: 'active again' });
    // Reconnect every account the fault parked, so the next tests start from active accounts.
    for (const other of (await stack.request('GET', '/api/accounts')).body.items as { id: string; status: string }[]) {
      if (other.status === 'needs_reconnect') await stack.request('POST', `/api/accounts/${other.id}/reconnect`, { connectionId: fresh.id });
    }
    connectionId = fresh.id;
  });

  it('OPS-1/OPS-2 the workflows are found by every search attribute, the query answers, and signals work through the API', async () => {
    const accountId = accountIdOf(0);
    const key = `facebook:${accountId}`;
    const workflowId = `tracking/facebook/${accountId}`;
    await eventually(async () => (await getAccount(stack, key)).status === 'active', { what: 'account 0 active' });
    const all = await visible(stack.client, `${inQueue()} AND AdNetwork = 'facebook'`);
    expect(all).toEqual(expect.arrayContaining([`tracking/facebook/${accountIdOf(0)}`, `tracking/facebook/${accountIdOf(1)}`, `tracking/facebook/${accountIdOf(2)}`]));
    expect(await visible(stack.client, `${inQueue()} AND AdNetwork = 'google'`)).toEqual([]);
    expect(await visible(stack.client, `${inQueue()} AND AdAccountId = '${accountId}'`)).toEqual([workflowId]);
    await eventually(async () => (await visible(stack.client, `${inQueue()} AND AccountStatus = 'active' AND AutoTracking = true AND AdAccountId = '${accountId}'`)).length === 1, { what: 'combined filter' });
    const description = await stack.client.workflow.getHandle(workflowId).describe();
    expect(description.type).toBe('accountWorkflow');

    // The query: live state straight from the workflow.
    const live = (await getAccount(stack, key)).live!;
    expect(live).toMatchObject({ network: 'facebook', externalId: accountId, status: 'active', autoTracking: true, firstSweepDone: true });
    expect(Object.keys(live.counts).sort()).toEqual(['error', 'excluded', 'pending', 'tracked']);
    // Counted in one aggregation per sweep (recordSweep): every status agrees with the ads listed.
    for (const status of ['tracked', 'error', 'excluded', 'pending'] as const) expect(live.counts[status]).toBe((await listAds(stack, key, status)).length);
    expect(Date.parse(live.lastSweepAt!)).toBeGreaterThan(0);
    expect(Date.parse(live.nextSweepAt!)).toBeGreaterThan(0);

    // forceSync signal → a sweep now; unknown accounts answer 404 in the error envelope.
    const sync = await stack.request('POST', `/api/accounts/${key}/sync`, { full: true });
    expect(sync.status).toBe(202);
    await waitForSweeps(stack, key, live.sweeps + 1);
    const missing = await stack.request('POST', '/api/accounts/facebook:act_0/sync', {});
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBeTruthy();
    // templateChanged signal (TRK-9 route) reaches the running account: it sweeps again.
    const before = (await getAccount(stack, key)).live!.sweeps;
    expect((await stack.request('PUT', '/api/tracking-templates/facebook', {})).status).toBe(200);
    await waitForSweeps(stack, key, before + 1);
  });

  it('ACC-6 disconnecting stops the workflow and deletes the tokens; ads, audit trail and metrics stay', async () => {
    const accountId = accountIdOf(3);
    const key = `facebook:${accountId}`;
    const own = await connectNetwork(stack, sandboxes, 'facebook', seeded.user.handle);
    const account = await connectAccount(stack, own.id, accountId);
    await waitForSweeps(stack, key, 1);
    // The metrics sync closes the first sweep: count after it.
    await eventually(async () => (await getAccount(stack, key)).live?.lastMetricsSyncAt, { what: 'the first metrics sync' });
    const ads = await listAds(stack, key);
    const tagged = ads.filter((ad) => ad.trackingStatus === 'tracked');
    const audit = await stack.db.models.AdAudit.countDocuments({ accountKey: key });
    const metrics = await stack.db.models.AdMetric.countDocuments({ accountKey: key });
    expect(tagged.length).toBeGreaterThan(0);
    expect(audit).toBeGreaterThan(0);
    expect(metrics).toBeGreaterThan(0);

    const removed = await stack.request('DELETE', `/api/accounts/${key}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id: key, status: 'disconnected', connectionId: null });
    const description = await stack.client.workflow.getHandle(account.workflowId).describe();
    expect(description.status.name).toBe('COMPLETED');
    await eventually(async () => (await visible(stack.client, `${inQueue()} AND AccountStatus = 'disconnected'`)).includes(account.workflowId), { what: 'AccountStatus = disconnected' });
    const connection = await stack.db.models.Connection.findById(own.id).lean();
    expect(connection).toMatchObject({ tokens: null, status: 'revoked' });
    expect((await getAccount(stack, key)).live).toBeNull();
    expect((await listAds(stack, key)).map((ad) => ad.adId).sort()).toEqual(ads.map((ad) => ad.adId).sort());
    expect(await stack.db.models.AdAudit.countDocuments({ accountKey: key })).toBe(audit);
    expect(await stack.db.models.AdMetric.countDocuments({ accountKey: key })).toBe(metrics);
    // History stays on the network side too: parameters are not stripped.
    for (const ad of tagged) expect((await clickAd(sandboxes, 'facebook', ad.adId)).searchParams.get('hsa_ad')).toBe(ad.adId);
    // Idempotent, and signals to a disconnected account are refused.
    expect((await stack.request('DELETE', `/api/accounts/${key}`)).status).toBe(200);
    expect((await stack.request('POST', `/api/accounts/${key}/sync`, {})).status).toBe(409);
    expect((await stack.request('POST', `/api/accounts/${key}/auto-tracking`, { enabled: false })).status).toBe(409);
    // The shared grant of the other accounts keeps its tokens.
    expect((await stack.db.models.Connection.findById(connectionId).lean())?.tokens).not.toBeNull();
  });
});
