import { heartbeat } from '@temporalio/activity';
import type { AdAccountRecord } from '../src/db/models/ad-account';
import { changeFingerprints, hasUnseenChanges, sameFingerprints } from '../src/domain/tracking/changes';
import type { AdNetworkClient, AdRecord, Network, Page } from '../src/networks/types';
import type { Models } from '../src/db/models';
import { withAccessToken, type TokenDeps } from './tokens';

export interface WatchDeps extends TokenDeps {
  models: Pick<Models, 'AdAccount' | 'Connection'>;
}

type WatchedAccount = Pick<AdAccountRecord, '_id' | 'externalId' | 'connectionId' | 'watchedChanges'>;

/** Listing requests in flight per connection: a few, so one check of many accounts stays short. */
const PER_CONNECTION = 4;

export function createWatchActivities(deps: WatchDeps) {
  return {
    /**
     * One check of the ads watcher (issue 12): for every active account of the network that finished
     * its first sweep, lists the ads the network reports changed since `since` (the networks' change
     * filters: Facebook `updated_since`, Google `change_status`, LinkedIn the creatives' last
     * modification) and answers the accounts that have changes the previous check did not see. Where
     * the network can ask about several accounts in one request (Facebook's batch: 50), the accounts
     * of a connection go in groups of that size. Writes only for accounts whose window changed. An
     * account whose check fails is answered too: its own sweep retries, reports or parks as it
     * always did.
     */
    async findChangedAccounts(input: { network: Network; since: string }): Promise<{ changed: string[]; watching: number }> {
      const accounts = await deps.models.AdAccount.find(
        { network: input.network, status: 'active', connectionId: { $ne: null }, firstSweepCompletedAt: { $ne: null } },
        { externalId: 1, connectionId: 1, watchedChanges: 1 },
      ).lean<WatchedAccount[]>();
      const byConnection = new Map<string, WatchedAccount[]>();
      for (const account of accounts) {
        const group = byConnection.get(account.connectionId!);
        if (group) group.push(account);
        else byConnection.set(account.connectionId!, [account]);
      }

      const changed: string[] = [];
      for (const [connectionId, group] of byConnection) {
        try {
          await withAccessToken(deps, connectionId, (accessToken, client) =>
            inParallel(chunk(group, client.listChangedAds ? (client.limits.changedAdsAccountsMax ?? 1) : 1), PER_CONNECTION, async (part) => {
              const pages = await changedAds(client, accessToken, part, input.since);
              for (const account of part) if (await accountChanged(deps, account, pages.get(account.externalId))) changed.push(account.externalId);
              heartbeat({ checked: changed.length });
            }),
          );
        } catch {
          changed.push(...group.map((account) => account.externalId));
        }
      }
      return { changed, watching: accounts.length };
    },
  };
}

/** Each account's first page of changed ads, one request per group where the network batches. */
async function changedAds(client: AdNetworkClient, accessToken: string, part: WatchedAccount[], since: string): Promise<Map<string, Page<AdRecord> | Error>> {
  const options = { updatedSince: since, pageSize: client.limits.adsPageSizeMax };
  try {
    if (client.listChangedAds) return await client.listChangedAds(accessToken, part.map((a) => a.externalId), options);
    const account = part[0]!;
    return new Map([[account.externalId, await client.listAds(accessToken, account.externalId, { ...options, scope: 'deliverable' })]]);
  } catch (error) {
    return new Map(part.map((a) => [a.externalId, error instanceof Error ? error : new Error(String(error))]));
  }
}

async function accountChanged(deps: WatchDeps, account: WatchedAccount, page: Page<AdRecord> | Error | undefined): Promise<boolean> {
  if (page === undefined || page instanceof Error) return true;
  const current = changeFingerprints(page.items, page.nextCursor !== undefined);
  if (!sameFingerprints(account.watchedChanges, current)) {
    await deps.models.AdAccount.updateOne({ _id: account._id }, { $set: { watchedChanges: current } });
  }
  return hasUnseenChanges(account.watchedChanges, current);
}

const chunk = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}
