import { heartbeat } from '@temporalio/activity';
import type { AdAccountRecord } from '../src/db/models/ad-account';
import { changeFingerprints, hasUnseenChanges, sameFingerprints } from '../src/domain/tracking/changes';
import type { AdNetworkClient, Network } from '../src/networks/types';
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
     * modification) and answers the accounts that have changes the previous check did not see. Writes
     * only for accounts whose window changed. An account whose check fails is answered too: its own
     * sweep retries, reports or parks as it always did.
     */
    async findChangedAccounts(input: { network: Network; since: string }): Promise<{ changed: string[]; watching: number }> {
      const accounts = await deps.models.AdAccount.find(
        { network: input.network, status: 'active', connectionId: { $ne: null }, firstSweepCompletedAt: { $ne: null } },
        { externalId: 1, connectionId: 1, watchedChanges: 1 },
      ).lean<WatchedAccount[]>();
      const byConnection = new Map<string, WatchedAccount[]>();
      for (const account of accounts) byConnection.set(account.connectionId!, [...(byConnection.get(account.connectionId!) ?? []), account]);

      const changed: string[] = [];
      for (const [connectionId, group] of byConnection) {
        try {
          await withAccessToken(deps, connectionId, (accessToken, client) =>
            inParallel(group, PER_CONNECTION, async (account) => {
              if (await accountChanged(deps, client, accessToken, account, input.since)) changed.push(account.externalId);
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

async function accountChanged(deps: WatchDeps, client: AdNetworkClient, accessToken: string, account: WatchedAccount, since: string): Promise<boolean> {
  try {
    const page = await client.listAds(accessToken, account.externalId, { scope: 'deliverable', updatedSince: since, pageSize: client.limits.adsPageSizeMax });
    const current = changeFingerprints(page.items, page.nextCursor !== undefined);
    if (!sameFingerprints(account.watchedChanges, current)) {
      await deps.models.AdAccount.updateOne({ _id: account._id }, { $set: { watchedChanges: current } });
    }
    return hasUnseenChanges(account.watchedChanges, current);
  } catch {
    return true;
  }
}

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (let item = queue.shift(); item; item = queue.shift()) await fn(item);
  }));
}
