import { expect } from 'vitest';
import { eventually } from '../../support/stack';
import { expectNoDuplicateKeys, REDIRECT_URI } from '../../support/tracking-helpers';
import type { FaultStack } from './fault-stack';

/** Steps and invariant checks the fault scenarios share; counts come from the sandboxes' control APIs and the database. */

export async function control(base: string, method: string, route: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} → ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** A Facebook account with `ads` eligible link ads (plus the seed's lead forms), connected through the API. */
export async function facebookAccount(
  stack: FaultStack,
  seed: number,
  ads: number,
  /** Runs once the connection exists, before the account (and its first sweep) starts. */
  beforeAccount: () => Promise<void> = async () => undefined,
): Promise<{ accountKey: string; seeded: any; adIds: string[] }> {
  const fb = stack.sandboxUrls.facebook;
  const seeded = await control(fb, 'POST', '/_sandbox/seed', { seed, accounts: 1, adsPerAccount: 0, landingBaseUrl: stack.sandboxUrls.landing });
  const accountId = seeded.accounts[0].id as string;
  const adIds: string[] = [];
  for (let i = 0; i < ads; i += 50) {
    const created = await Promise.all(
      Array.from({ length: Math.min(50, ads - i) }, (_, k) =>
        control(fb, 'POST', '/_sandbox/ads', { accountId, kind: 'link', status: 'ACTIVE', name: `Fault ${i + k}`, landingUrl: `${stack.sandboxUrls.landing}/p/fault-${i + k}` }),
      ),
    );
    adIds.push(...created.map((ad) => ad.id as string));
  }
  const { code } = await control(fb, 'POST', '/_sandbox/oauth/codes', { user: seeded.user.handle, redirectUri: REDIRECT_URI });
  const connection = await stack.request('POST', '/api/connections', { network: 'facebook', code, redirectUri: REDIRECT_URI });
  expect(connection.status, JSON.stringify(connection.body)).toBe(201);
  await beforeAccount();
  const account = await stack.request('POST', '/api/accounts', { connectionId: connection.body.id, externalId: accountId });
  expect(account.status, JSON.stringify(account.body)).toBe(201);
  return { accountKey: account.body.id as string, seeded, adIds };
}

export async function disconnect(stack: FaultStack, accountKey: string): Promise<void> {
  expect((await stack.request('DELETE', `/api/accounts/${encodeURIComponent(accountKey)}`)).status).toBeLessThan(300);
}

export async function sandboxRequests(
  base: string,
  filter: { endpoint?: string; since?: string },
): Promise<{ method: string; endpoint: string; status: number; batchSize?: number; batchWrites?: number; fault?: string }[]> {
  const query = new URLSearchParams({ ...(filter.endpoint ? { endpoint: filter.endpoint } : {}), ...(filter.since ? { since: filter.since } : {}) });
  return (await control(base, 'GET', `/_sandbox/requests?${query.toString()}`)).requests;
}

/**
 * Waits until every ad of the account is tracked (none pending, none in error). The bound is
 * `timeoutMs` plus whatever `announcedWaitMs` reports at each look: waits the network imposed (a
 * rate limit's retry hint) are the network's time, not recovery time, and the sweep must honour them.
 */
export async function allTracked(stack: FaultStack, accountKey: string, ads: number, timeoutMs: number, announcedWaitMs: () => Promise<number> = async () => 0): Promise<void> {
  const startedAt = Date.now();
  let counts: Record<string, number> = {};
  let imposedMs = 0;
  for (;;) {
    const byStatus = await stack.db.models.Ad.aggregate<{ _id: string; n: number }>([{ $match: { accountKey } }, { $group: { _id: '$trackingStatus', n: { $sum: 1 } } }]);
    counts = Object.fromEntries(byStatus.map((s) => [s._id, s.n]));
    if (counts.tracked === ads && Object.keys(counts).length === 1) return;
    imposedMs = await announcedWaitMs();
    if (Date.now() - startedAt > timeoutMs + imposedMs) {
      throw new Error(`${ads} ads not tracked within ${timeoutMs / 1000} s + ${imposedMs / 1000} s of announced waits; ads by status: ${JSON.stringify(counts)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * The tagging invariants: every ad's click URL carries each key once, and the network received the
 * minimum of write operations (two per ad: the creative, then the ad pointing at it), none repeated.
 */
export async function expectTaggedOnce(stack: FaultStack, adIds: string[], since: string): Promise<{ operations: number; batches: number }> {
  const fb = stack.sandboxUrls.facebook;
  for (let i = 0; i < adIds.length; i += 25) {
    await Promise.all(
      adIds.slice(i, i + 25).map(async (adId) => {
        const click = await control(fb, 'POST', `/_sandbox/ads/${adId}/click`, {});
        const url = new URL(click.landingUrl as string);
        expect(url.searchParams.get('hsa_ad')).toBe(adId);
        expectNoDuplicateKeys(url.search, adId);
      }),
    );
  }
  const batches = (await sandboxRequests(fb, { endpoint: 'POST /batch', since })).filter((r) => r.status === 200);
  // Write operations only: the ads watcher asks its questions in Graph batches of reads too.
  const operations = batches.reduce((sum, r) => sum + (r.batchWrites ?? 0), 0);
  expect(operations).toBe(2 * adIds.length);
  return { operations, batches: batches.length };
}

/** Leads: every lead the network has for the form stored once, one contact per email. */
export async function expectLeadsOnce(stack: FaultStack, accountKey: string, formId: string, emails: string[]): Promise<number> {
  const atNetwork = (await control(stack.sandboxUrls.facebook, 'GET', `/_sandbox/leads?formId=${formId}`)).leads as { id: string }[];
  const stored = await stack.db.models.Lead.find({ accountKey, formId }, { leadId: 1, contactId: 1 }).lean();
  expect(stored.map((l) => l.leadId).sort()).toEqual(atNetwork.map((l) => l.id).sort());
  expect(stored.every((l) => l.contactId)).toBe(true);
  const distinct = [...new Set(emails)];
  const contacts = await stack.db.models.Contact.find({ emails: { $in: distinct } }, { _id: 1 }).lean();
  expect(contacts).toHaveLength(distinct.length);
  return atNetwork.length;
}

/** Waits until the network has given up on every webhook delivery announcing one of `ids`. */
export async function deliveriesGivenUp(stack: FaultStack, ids: string[]): Promise<void> {
  await eventually(
    async () => {
      const { deliveries } = await control(stack.sandboxUrls.facebook, 'GET', '/_sandbox/webhook');
      const mine = (deliveries as { leadgenIds: string[]; state: string }[]).filter((d) => d.leadgenIds.some((id) => ids.includes(id)));
      return mine.length > 0 && mine.every((d) => d.state === 'failed');
    },
    { timeoutMs: 60_000, what: 'webhook deliveries given up' },
  );
}

export async function storedLeads(stack: FaultStack, accountKey: string): Promise<number> {
  return stack.db.models.Lead.countDocuments({ accountKey });
}

/** Seconds since `from`, for the printed recovery times (not asserted: the box is shared). */
export const secondsSince = (from: number): string => ((Date.now() - from) / 1000).toFixed(1);
