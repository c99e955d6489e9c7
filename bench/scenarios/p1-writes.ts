/**
 * P1 for the networks that tag per campaign (Google, LinkedIn): the first sweep of an account with N
 * seeded ads, write requests counted from the sandbox's request log against the documented minimum
 * for the campaigns the sweep tagged. Run by the onboarding scenario (P3), next to Facebook's P1.
 */
import { REDIRECT_URI, stopAllWorkflows, waitForFirstSweeps } from '../accounts';
import type { BenchStack } from '../harness';
import type { BenchRow } from '../table';

type CampaignNetwork = 'google' | 'linkedin';

/**
 * The documented minimum per network for `campaigns` campaigns that need our parameters. Google: one
 * campaign update per campaign, up to 10,000 operations per `campaigns:mutate` request (reference §3.3).
 * LinkedIn: the campaign's URL tracking parameters are one `adTrackingParameters` resource, written
 * with one PUT each; no batch method is documented for it (docs/linkedin-tracking-parameters.md).
 */
const WRITES: Record<CampaignNetwork, { isWrite: (r: { method: string; endpoint: string }) => boolean; minimum: (campaigns: number) => number; label: string }> = {
  google: {
    isWrite: (r) => r.method === 'POST' && r.endpoint.includes(':mutate'),
    minimum: (campaigns) => Math.ceil(campaigns / 10_000),
    label: '10,000 campaign operations per mutate',
  },
  linkedin: {
    isWrite: (r) => r.method === 'PUT' && r.endpoint.includes('adTrackingParameters'),
    minimum: (campaigns) => campaigns,
    label: 'one PUT per campaign, no batch method',
  },
};

async function control<T>(stack: BenchStack, network: CampaignNetwork, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${stack.sandboxes.urls[network]}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${network} ${path} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Seeds the network's world with one account of `ads` ads and connects it through OAuth and the API. */
async function connectAccount(stack: BenchStack, network: CampaignNetwork, seed: number, ads: number): Promise<string> {
  const seeded = await control<{ user: string | { handle: string }; accountIds?: string[]; accounts?: { id: string }[] }>(stack, network, '/_sandbox/seed', {
    seed,
    accounts: 1,
    adsPerAccount: ads,
    landingBaseUrl: stack.sandboxes.urls.landing,
  });
  const user = typeof seeded.user === 'string' ? seeded.user : seeded.user.handle;
  const accountId = String(seeded.accountIds?.[0] ?? seeded.accounts?.[0]?.id).replace(/^urn:li:sponsoredAccount:/, '');
  const { code } = await control<{ code: string }>(stack, network, '/_sandbox/oauth/codes', { user, redirectUri: REDIRECT_URI });
  const connection = await stack.request('POST', '/api/connections', { network, code, redirectUri: REDIRECT_URI });
  if (connection.status !== 201) throw new Error(`connect ${network}: ${connection.status} ${JSON.stringify(connection.body)}`);
  const account = await stack.request('POST', '/api/accounts', { connectionId: (connection.body as { id: string }).id, externalId: accountId });
  if (account.status !== 201) throw new Error(`account ${accountId}: ${account.status} ${JSON.stringify(account.body)}`);
  return (account.body as { id: string }).id;
}

async function measure(stack: BenchStack, network: CampaignNetwork, seed: number, ads: number): Promise<BenchRow> {
  await stopAllWorkflows(stack);
  const since = new Date().toISOString();
  const accountKey = await connectAccount(stack, network, seed, ads);
  await waitForFirstSweeps(stack, [accountKey], 60_000 + ads * 100);
  const { requests } = await control<{ requests: { method: string; endpoint: string }[] }>(stack, network, `/_sandbox/requests?since=${encodeURIComponent(since)}`);
  const writes = requests.filter(WRITES[network].isWrite).length;
  const tracked = await stack.db.models.Ad.find({ accountKey, trackingStatus: 'tracked' }, { 'campaign.id': 1 }).lean();
  const campaigns = new Set(tracked.map((ad) => ad.campaign.id)).size;
  const eligible = Math.max(1, tracked.length);
  await stopAllWorkflows(stack);
  return {
    scenario: 'P1',
    what: `write requests per 1,000 eligible ads (${network})`,
    size: `${ads} ads seeded, ${tracked.length} eligible in ${campaigns} campaigns`,
    value: (writes * 1000) / eligible,
    unit: 'requests',
    reference: { value: (WRITES[network].minimum(campaigns) * 1000) / eligible, label: WRITES[network].label },
  };
}

/** P1 rows for Google and LinkedIn, measured by the onboarding scenario (`npm run bench -- P1`). */
export async function campaignNetworkWrites(stack: BenchStack, seed: number, ads: number): Promise<BenchRow[]> {
  return [await measure(stack, 'google', seed, ads), await measure(stack, 'linkedin', seed, ads)];
}
