/** Connecting sandbox ad accounts through the real OAuth → API → workflow path, as the demo does. */
import { setTimeout as delay } from 'node:timers/promises';
import type { BenchStack } from './harness';

export const REDIRECT_URI = 'https://app.example.com/oauth/callback';

async function control<T>(stack: BenchStack, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${stack.sandboxes.urls.facebook}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Requests the benchmark keeps in flight while it builds a world or connects accounts. */
const CONCURRENCY = 8;

/**
 * Seeds a fresh Facebook world (a seed resets it: earlier scenarios' accounts are gone, so run
 * `stopAllWorkflows` first), adds `adsPerAccount` link ads to each account, connects them all through
 * POST /api/accounts a few at a time, as a console user picking many accounts would. Reports how long
 * building the world and connecting took (issue 12: onboarding many small accounts).
 */
export async function connectFacebookAccounts(
  stack: BenchStack,
  options: { seed: number; accounts: number; adsPerAccount: number },
): Promise<{ accountKeys: string[]; externalIds: string[]; pixelIds: string[]; seedSeconds: number; connectSeconds: number }> {
  const seedStarted = Date.now();
  const seeded = await control<{ user: { handle: string }; accounts: { id: string; pixelId: string }[] }>(stack, '/_sandbox/seed', { seed: options.seed, accounts: options.accounts, adsPerAccount: 0, landingBaseUrl: stack.sandboxes.urls.landing });
  const externalIds = seeded.accounts.map((a) => a.id);
  await forEachLimited(externalIds, CONCURRENCY, async (accountId) => void (await addFacebookAds(stack, accountId, options.adsPerAccount)));
  const seedSeconds = (Date.now() - seedStarted) / 1000;

  const connectStarted = Date.now();
  const { code } = await control<{ code: string }>(stack, '/_sandbox/oauth/codes', { user: seeded.user.handle, redirectUri: REDIRECT_URI });
  const connection = await stack.request('POST', '/api/connections', { network: 'facebook', code, redirectUri: REDIRECT_URI });
  if (connection.status !== 201) throw new Error(`connect: ${connection.status} ${JSON.stringify(connection.body)}`);
  const connectionId = (connection.body as { id: string }).id;
  const accountKeys = new Map<string, string>();
  await forEachLimited(externalIds, CONCURRENCY, async (externalId) => {
    const res = await stack.request('POST', '/api/accounts', { connectionId, externalId });
    if (res.status !== 201) throw new Error(`account ${externalId}: ${res.status} ${JSON.stringify(res.body)}`);
    accountKeys.set(externalId, (res.body as { id: string }).id);
  });
  const connectSeconds = (Date.now() - connectStarted) / 1000;
  return { accountKeys: externalIds.map((id) => accountKeys.get(id)!), externalIds, pixelIds: seeded.accounts.map((a) => a.pixelId), seedSeconds, connectSeconds };
}

/** `fn` over `items` with at most `limit` calls in flight. */
async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** Adds active link ads through the sandbox's bulk hook: one request, however many ads. */
export async function addFacebookAds(stack: BenchStack, accountId: string, count: number, prefix = 'Bench'): Promise<string[]> {
  if (count === 0) return [];
  const { ids } = await control<{ ids: string[] }>(stack, '/_sandbox/ads/bulk', { accountId, count, kind: 'link', status: 'ACTIVE', namePrefix: prefix, landingBaseUrl: stack.sandboxes.urls.landing });
  return ids;
}

/** Polls (no fixed sleeps as synchronisation) until `check` holds or the deadline passes. */
export async function until<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs: number, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(intervalMs);
  }
}

export async function waitForFirstSweeps(stack: BenchStack, accountKeys: readonly string[], timeoutMs: number): Promise<void> {
  await until(
    `first sweeps of ${accountKeys.length} account(s)`,
    async () => (await stack.db.models.AdAccount.countDocuments({ _id: { $in: accountKeys }, firstSweepCompletedAt: { $ne: null } })) === accountKeys.length,
    timeoutMs,
    500,
  );
}

/**
 * Until no account record was written for two sweep intervals: the first sweeps' tagging changes
 * the ads, the watcher sees those changes once and the woken sweeps find nothing more to do.
 */
export async function waitUntilIdle(stack: BenchStack, accountKeys: readonly string[], intervalSeconds: number): Promise<void> {
  await until(
    'the accounts idle',
    async () => {
      const [latest] = await stack.db.models.AdAccount.find({ _id: { $in: accountKeys } }, { updatedAt: 1 }).sort({ updatedAt: -1 }).limit(1).lean();
      return latest !== undefined && Date.now() - latest.updatedAt.getTime() > 2 * intervalSeconds * 1000;
    },
    600_000 + accountKeys.length * 1_000,
    1_000,
  );
}

/** Ends every running workflow of the benchmark, so the next scenario measures only its own accounts. */
export async function stopAllWorkflows(stack: BenchStack): Promise<void> {
  for await (const wf of stack.temporal.workflow.list({ query: `ExecutionStatus="Running" AND TaskQueue="${stack.taskQueue}"` })) {
    await stack.temporal.workflow.getHandle(wf.workflowId, wf.runId).terminate('benchmark scenario finished').catch(() => undefined);
  }
}

export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
