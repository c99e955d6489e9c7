import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNetworkError } from '../../src/networks/errors';
import { FacebookClient } from '../../src/networks/facebook';
import type { AdRecord, Page } from '../../src/networks/types';
import { FACEBOOK_SANDBOX_APP, startFacebookSandbox, type SeedSummary } from '../../src/sandboxes/facebook';

/**
 * Issue 12: the sandbox holds 1,000 accounts in one seed, and the ads watcher's question for 50 of
 * them is one Graph batch request (§5) whose answers match 50 single `GET act_<id>/ads` reads.
 */
const REDIRECT = 'https://app.example/oauth/facebook/callback';
let fb: Awaited<ReturnType<typeof startFacebookSandbox>>;
let client: FacebookClient;
let seed: SeedSummary;
let token: string;

beforeAll(async () => {
  fb = await startFacebookSandbox();
  client = new FacebookClient({ graphBaseUrl: fb.url, apiVersion: 'v25.0', appId: FACEBOOK_SANDBOX_APP.id, appSecret: FACEBOOK_SANDBOX_APP.secret, timeoutMs: 10_000 });
  seed = await fb.control.seed({ seed: 5751, accounts: 1000, adsPerAccount: 3, landingBaseUrl: 'http://127.0.0.1:4567' });
  token = (await client.exchangeCode({ code: await fb.control.issueCode({ user: seed.user.handle, redirectUri: REDIRECT }), redirectUri: REDIRECT })).accessToken;
});
afterAll(async () => {
  await fb.server.close();
});

const adIds = (page: Page<AdRecord> | Error | undefined) => (page && !(page instanceof Error) ? page.items.map((ad) => ad.adId).sort() : page);

describe('issue12 many accounts, one batched change check', () => {
  it('issue12 a seed holds 1,000 accounts of 3 ads, each with its own id, all reachable by the token', async () => {
    expect(seed.accounts).toHaveLength(1000);
    expect(new Set(seed.accounts.map((a) => a.id)).size).toBe(1000);
    expect(seed.ads.all).toHaveLength(3000);
    expect(await client.listAdAccounts(token)).toHaveLength(1000);
  });

  it('issue12 listChangedAds: 50 accounts in one POST /batch of 50 operations, each answer the same ads a single listAds gives', async () => {
    const accounts = seed.accounts.slice(100, 150).map((a) => a.id);
    const updatedSince = new Date(Date.now() - 400 * 86_400_000).toISOString();
    await fb.control.clearRequests();
    const answers = await client.listChangedAds(token, accounts, { updatedSince, pageSize: 100 });
    const logged = await fb.control.requests();
    expect(logged.map((r) => [r.endpoint, r.batchSize])).toEqual([['POST /batch', 50]]);
    expect([...answers.keys()]).toEqual(accounts);
    for (const account of accounts) {
      expect(adIds(answers.get(account))).toEqual(adIds(await client.listAds(token, account, { scope: 'deliverable', updatedSince, pageSize: 100 })));
    }
  });

  it('issue12 a recent window lists only the changed ad; an unknown account is its own error, the others still answer', async () => {
    const [changedAccount, quiet] = [seed.accounts[7]!.id, seed.accounts[8]!.id];
    const since = new Date(Date.now() - 2000).toISOString();
    const created = await fb.control.createAd({ accountId: changedAccount, kind: 'link', status: 'ACTIVE', name: 'Fresh' });
    const answers = await client.listChangedAds(token, [changedAccount, 'act_99999999999', quiet], { updatedSince: since, pageSize: 100 });
    expect(adIds(answers.get(changedAccount))).toEqual([created.id]);
    expect(adIds(answers.get(quiet))).toEqual([]);
    const unknown = answers.get('act_99999999999');
    expect(isNetworkError(unknown)).toBe(true);
  });

  it('issue12 more than 50 accounts are refused before any request (the batch maximum)', async () => {
    await fb.control.clearRequests();
    await expect(client.listChangedAds(token, seed.accounts.slice(0, 51).map((a) => a.id), { updatedSince: new Date().toISOString(), pageSize: 100 })).rejects.toMatchObject({ code: 'batch_too_large' });
    expect(await fb.control.requests()).toEqual([]);
  });
});
