import { Context, heartbeat } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { accountWorkflowId, adsChangedSignal } from '../workflows/account-definitions';
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
     * modification) and wakes the accounts that have changes the previous check did not see. Where
     * the network can ask about several accounts in one request (Facebook's batch: 50), the accounts
     * of a connection go in groups of that size. Writes only for accounts whose window changed, and
     * only after the account was woken (a failed wake is seen again at the next check). An account
     * whose check fails is woken too: its own sweep retries, reports or parks as it always did.
     *
     * The activity signals the account workflows itself and answers how many (`woken`), not which:
     * signals sent by the watcher workflow cost it two history events each and Temporal refuses a
     * workflow task that leaves more than 2,000 signals pending, which a check after onboarding
     * thousands of accounts (or a connection whose token fails) would need. `changed` stays for
     * histories recorded before; it is empty now.
     */
    async findChangedAccounts(input: { network: Network; since: string }): Promise<{ changed: string[]; watching: number; woken?: number }> {
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

      const wake = wakeAccount(input.network);
      let woken = 0;
      let checked = 0;
      for (const [connectionId, group] of byConnection) {
        const pages = new Map<string, Page<AdRecord> | Error>();
        try {
          await withAccessToken(deps, connectionId, (accessToken, client) =>
            inParallel(chunk(group, client.listChangedAds ? (client.limits.changedAdsAccountsMax ?? 1) : 1), PER_CONNECTION, async (part) => {
              for (const [externalId, page] of await changedAds(client, accessToken, part, input.since)) pages.set(externalId, page);
              checked += part.length;
              heartbeat({ checked });
            }),
          );
        } catch {
          // No token for the connection: every account of it is woken and finds out in its own sweep.
        }
        await inParallel(group, PER_CONNECTION, async (account) => {
          const page = pages.get(account.externalId);
          const current = page === undefined || page instanceof Error ? undefined : changeFingerprints(page.items, page.nextCursor !== undefined);
          if (current === undefined || hasUnseenChanges(account.watchedChanges, current)) {
            await wake(account.externalId);
            woken += 1;
          }
          if (current && !sameFingerprints(account.watchedChanges, current)) {
            await deps.models.AdAccount.updateOne({ _id: account._id }, { $set: { watchedChanges: current } });
          }
        });
      }
      return { changed: [], watching: accounts.length, woken };
    },
  };
}

/** Signals an account's workflow that its ads changed; a disconnected account has none to wake. */
function wakeAccount(network: Network): (externalId: string) => Promise<void> {
  const client = Context.current().client;
  return async (externalId) => {
    try {
      await client.workflow.getHandle(accountWorkflowId(network, externalId)).signal(adsChangedSignal);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
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

const chunk = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}
