import { expect } from 'vitest';
import type { Network } from '../../src/networks/types';
import type { AccountLiveState } from '../../workflows/account-definitions';
import type { TestSandboxes } from './sandboxes';
import { eventually, type TestStack } from './stack';

/**
 * Shared steps of the tracking / accounts integration tests: connect a network's seeded accounts
 * through the API (OAuth code → POST /api/connections → POST /api/accounts), wait for sweeps, read
 * ads through the API and click ads in the sandboxes.
 */

export const REDIRECT_URI = 'https://app.example.com/oauth/callback';

/** Every ad the API lists for an account, as `GET /api/accounts/:id/ads` presents it. */
export interface ApiAd {
  id: string;
  accountId: string;
  network: Network;
  adId: string;
  name: string;
  status: string;
  /** The network's own status (WITH_ISSUES, ADSET_PAUSED, ...). */
  networkStatus: string;
  /** Facebook: the ad set's publisher platforms. */
  placements: string[];
  campaign: { id: string; name: string };
  adGroup: { id: string; name: string };
  landingUrl: string | null;
  format: string;
  trackingStatus: 'tracked' | 'pending' | 'error' | 'excluded';
  error: { code: string; message: string; retryable: boolean } | null;
  appliedParams: Record<string, string>;
  engagementCapped: boolean;
  engagementCapOverride: boolean;
  nextRetryAt: string | null;
  trackedSince: string | null;
}

export interface ApiAccount {
  id: string;
  network: Network;
  externalId: string;
  connectionId: string | null;
  status: 'active' | 'needs_reconnect' | 'disconnected';
  autoTracking: boolean;
  workflowId: string;
  live?: AccountLiveState | null;
}

/** The user handle the seed summary names (Google gives a string, the others an object). */
export function seededUser(seeded: { user: string | { handle: string } }): string {
  return typeof seeded.user === 'string' ? seeded.user : seeded.user.handle;
}

/** The ad account ids a seed summary created, as the network's API names them. */
export function seededAccountIds(network: Network, seeded: any): string[] {
  if (network === 'google') return seeded.accountIds as string[];
  return (seeded.accounts as { id: string }[]).map((a) => a.id);
}

/** OAuth through the sandbox: a code for the seeded user → POST /api/connections (201). */
export async function connectNetwork(
  stack: TestStack,
  sandboxes: TestSandboxes,
  network: Network,
  user: string,
): Promise<{ id: string; network: Network; adAccounts: { externalId: string; name: string }[] }> {
  const { code } = await sandboxes.control(network).post('/_sandbox/oauth/codes', { user, redirectUri: REDIRECT_URI });
  const res = await stack.request('POST', '/api/connections', { network, code, redirectUri: REDIRECT_URI });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** POST /api/accounts for one reachable account; expects 201 (first time) unless told otherwise. */
export async function connectAccount(stack: TestStack, connectionId: string, externalId: string, expectedStatus = 201): Promise<ApiAccount> {
  const res = await stack.request('POST', '/api/accounts', { connectionId, externalId });
  expect(res.status, JSON.stringify(res.body)).toBe(expectedStatus);
  return res.body;
}

/** The externalId the API uses for a network's account id (Facebook `act_…`, LinkedIn numbers as strings). */
export function externalIdFor(network: Network, accountId: string): string {
  if (network === 'facebook') return accountId.startsWith('act_') ? accountId : `act_${accountId}`;
  return String(accountId).replace(/^urn:li:sponsoredAccount:/, '');
}

/** Seeds the network, connects through OAuth and connects the first seeded account. */
export async function seedAndConnect(
  stack: TestStack,
  sandboxes: TestSandboxes,
  network: Network,
  seedOptions: { seed?: number; accounts?: number; adsPerAccount?: number } = {},
): Promise<{ seeded: any; connection: { id: string; adAccounts: { externalId: string }[] }; account: ApiAccount }> {
  const seeded = await sandboxes.seed(network, seedOptions);
  const connection = await connectNetwork(stack, sandboxes, network, seededUser(seeded));
  const externalId = externalIdFor(network, seededAccountIds(network, seeded)[0]!);
  const account = await connectAccount(stack, connection.id, externalId);
  return { seeded, connection, account };
}

export async function getAccount(stack: TestStack, accountId: string): Promise<ApiAccount> {
  const res = await stack.request('GET', `/api/accounts/${encodeURIComponent(accountId)}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Waits until the account workflow reports at least `atLeast` completed sweeps; returns the live state. */
export async function waitForSweeps(stack: TestStack, accountId: string, atLeast: number, timeoutMs = 40_000): Promise<AccountLiveState> {
  return eventually(
    async () => {
      const account = await getAccount(stack, accountId);
      return account.live && account.live.sweeps >= atLeast ? account.live : undefined;
    },
    { timeoutMs, what: `${atLeast} sweep(s) of ${accountId}` },
  );
}

/** Waits for the sweep after now: forces one through the API and waits for the counter to move. */
export async function sweepNow(stack: TestStack, accountId: string, options: { full?: boolean } = {}): Promise<AccountLiveState> {
  const before = (await getAccount(stack, accountId)).live?.sweeps ?? 0;
  const res = await stack.request('POST', `/api/accounts/${encodeURIComponent(accountId)}/sync`, options.full ? { full: true } : {});
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  // +2: a sweep already running when the signal arrived may have listed the ads before the change.
  return waitForSweeps(stack, accountId, before + 2);
}

/** All ads of an account through the API, following the cursor. */
export async function listAds(stack: TestStack, accountId: string, trackingStatus?: ApiAd['trackingStatus']): Promise<ApiAd[]> {
  const out: ApiAd[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '500', ...(trackingStatus ? { trackingStatus } : {}), ...(cursor ? { cursor } : {}) });
    const res = await stack.request('GET', `/api/accounts/${encodeURIComponent(accountId)}/ads?${query.toString()}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

export async function getAd(stack: TestStack, adKey: string): Promise<ApiAd & { audit: AuditEntry[] }> {
  const res = await stack.request('GET', `/api/ads/${encodeURIComponent(adKey)}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

export interface AuditEntry {
  id: string;
  at: string;
  run: string;
  action: string;
  before: Record<string, any>;
  after: Record<string, any>;
  reason: { code: string; message: string } | null;
}

/** The URL a click on the ad opens right now, from the sandbox's click simulation. */
export async function clickAd(sandboxes: TestSandboxes, network: Network, adId: string): Promise<URL> {
  const click = await sandboxes.control(network).post(`/_sandbox/ads/${adId}/click`, {});
  expect(click.landingUrl, JSON.stringify(click)).toBeTruthy();
  return new URL(click.landingUrl as string);
}

/** How many times each key occurs in a query string (`a=1&b=2&a=3` → {a: 2, b: 1}). */
export function keyCounts(query: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [key] of new URLSearchParams(query.replace(/^[?#]/, ''))) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

/** Asserts no key of the query string appears more than once. */
export function expectNoDuplicateKeys(query: string, what: string): void {
  const dupes = Object.entries(keyCounts(query)).filter(([, n]) => n > 1);
  expect(dupes, `${what}: ${query}`).toEqual([]);
}

/** The query part of a Google `{lpurl}?…` template. */
export function templateQuery(template: string): string {
  const at = template.indexOf('?');
  return at < 0 ? '' : template.slice(at + 1);
}

/** Sandbox request log, optionally for one endpoint label and after a time. */
export async function sandboxRequests(
  sandboxes: TestSandboxes,
  network: Network,
  filter: { endpoint?: string; since?: string } = {},
): Promise<{ at: string; method: string; path: string; endpoint: string; status: number; batchSize?: number; batchWrites?: number }[]> {
  const query = new URLSearchParams({ ...(filter.endpoint ? { endpoint: filter.endpoint } : {}), ...(filter.since ? { since: filter.since } : {}) });
  const res = await sandboxes.control(network).get(`/_sandbox/requests?${query.toString()}`);
  return res.requests;
}

/** Facebook's write requests: Graph batches that carry writes (the ads watcher's batches only read). */
export async function facebookWriteBatches(sandboxes: TestSandboxes, since: string): ReturnType<typeof sandboxRequests> {
  return (await sandboxRequests(sandboxes, 'facebook', { endpoint: 'POST /batch', since })).filter((r) => (r.batchWrites ?? 0) > 0);
}

/** Every token the network's sandbox has issued (read in-process), to prove none is stored in clear. */
export function issuedSecrets(sandboxes: TestSandboxes, network: Network): string[] {
  const running = sandboxes.running;
  if (network === 'facebook') return [...running.facebook.state.world.tokens.keys()];
  if (network === 'google') return [...running.google.state.accessTokens.keys(), ...[...running.google.state.grants.values()].map((g) => g.refreshToken)];
  return [...running.linkedin.state.tokens.keys(), ...running.linkedin.state.grants.keys()];
}
