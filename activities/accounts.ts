import { ApplicationFailure } from '@temporalio/activity';
import type { Models } from '../src/db/models';
import type { AccountStatus, AdAccountRecord } from '../src/db/models/ad-account';
import type { Network } from '../src/networks/types';
import { FailureType } from '../src/domain/failures';
import { sweepsCompleted } from '../src/metrics/registry';

export interface AccountDeps {
  models: Pick<Models, 'AdAccount' | 'Ad' | 'Connection' | 'LeadSyncAccount'>;
}

export interface LoadedAccount {
  accountKey: string;
  network: Network;
  externalId: string;
  connectionId: string;
  autoTracking: boolean;
}

export async function loadAccount(deps: AccountDeps, accountKey: string): Promise<LoadedAccount> {
  const account = await deps.models.AdAccount.findById(accountKey).lean<AdAccountRecord>();
  if (!account) throw ApplicationFailure.create({ type: FailureType.InvalidInput, message: `Unknown ad account ${accountKey}`, nonRetryable: true });
  if (!account.connectionId) {
    throw ApplicationFailure.create({ type: FailureType.NetworkAuth, message: 'The account has no connection; reconnect it.', nonRetryable: true });
  }
  return { accountKey, network: account.network, externalId: account.externalId, connectionId: account.connectionId, autoTracking: account.autoTracking };
}

export function createAccountActivities(deps: AccountDeps) {
  return {
    /** The switches a new account run starts from; from then on the workflow's state is their truth. */
    async loadAccountSettings(input: { accountKey: string }): Promise<{ autoTracking: boolean; leadSync: boolean; firstSweepCompleted: boolean }> {
      const account = await deps.models.AdAccount.findById(input.accountKey).lean<AdAccountRecord>();
      if (!account) throw ApplicationFailure.create({ type: FailureType.InvalidInput, message: `Unknown ad account ${input.accountKey}`, nonRetryable: true });
      const leadSync = await deps.models.LeadSyncAccount.findById(input.accountKey).lean();
      // `!= null`: a record upserted without the field (no schema defaults on upsert) has never been swept.
      return { autoTracking: account.autoTracking, leadSync: leadSync?.enabled === true, firstSweepCompleted: account.firstSweepCompletedAt != null };
    },

    /** LEAD-1: the switch as the account workflow applied it (the API's lead-sync page reads it). */
    async recordLeadSync(input: { accountKey: string; network: Network; enabled: boolean; at: string }): Promise<void> {
      await deps.models.LeadSyncAccount.updateOne(
        { _id: input.accountKey },
        { $set: { network: input.network, enabled: input.enabled, changedAt: new Date(input.at) } },
        { upsert: true },
      );
    },

    /** ACC-4/ACC-5: the switch plus its history (attribution asks whether it was on at click time). */
    async recordAutoTracking(input: { accountKey: string; enabled: boolean; at: string }): Promise<void> {
      const at = new Date(input.at);
      // Idempotent on retry: the history entry is only pushed when the same (enabled, at) is absent.
      // Checked here rather than with `$not: { $elemMatch }`, which FerretDB does not support.
      const account = await deps.models.AdAccount.findById(input.accountKey).lean<AdAccountRecord>();
      if (!account) return;
      const recorded = (account.autoTrackingHistory ?? []).some((entry) => entry.enabled === input.enabled && new Date(entry.at).getTime() === at.getTime());
      await deps.models.AdAccount.updateOne(
        { _id: input.accountKey },
        { $set: { autoTracking: input.enabled }, ...(recorded ? {} : { $push: { autoTrackingHistory: { enabled: input.enabled, at } } }) },
      );
    },

    async recordAccountStatus(input: { accountKey: string; status: AccountStatus; lastError?: string }): Promise<void> {
      await deps.models.AdAccount.updateOne(
        { _id: input.accountKey },
        { $set: { status: input.status, ...(input.lastError !== undefined ? { lastError: input.lastError } : {}) } },
      );
    },

    async attachConnection(input: { accountKey: string; connectionId: string }): Promise<void> {
      const connection = await deps.models.Connection.findById(input.connectionId).lean();
      if (!connection?.tokens) throw ApplicationFailure.create({ type: FailureType.InvalidInput, message: 'The new connection has no token', nonRetryable: true });
      await deps.models.AdAccount.updateOne({ _id: input.accountKey }, { $set: { connectionId: input.connectionId, status: 'active', lastError: null } });
    },

    /** ACC-6: the account stops and its tokens go; ads, audit trail and metrics stay. */
    async disconnectAccount(input: { accountKey: string }): Promise<void> {
      const account = await deps.models.AdAccount.findById(input.accountKey).lean<AdAccountRecord>();
      if (!account) return;
      await deps.models.AdAccount.updateOne(
        { _id: input.accountKey },
        { $set: { status: 'disconnected', disconnectedAt: account.disconnectedAt ?? new Date(), connectionId: null } },
      );
      if (!account.connectionId) return;
      // The grant may serve other connected accounts; its tokens go once none is left.
      const stillUsing = await deps.models.AdAccount.countDocuments({ connectionId: account.connectionId, status: { $ne: 'disconnected' } });
      if (stillUsing === 0) {
        await deps.models.Connection.updateOne({ _id: account.connectionId }, { $set: { tokens: null, status: 'revoked', accessTokenExpiresAt: null } });
      }
    },

    /**
     * Marks the sweep done; returns the account's ads per tracking status and when the next errored
     * ad is due for a retry, so the workflow knows without asking again before its next sweep.
     */
    async recordSweep(input: { accountKey: string; at: string; firstSweep: boolean }): Promise<{ counts: Record<'tracked' | 'pending' | 'error' | 'excluded', number>; nextRetryAt: string | null }> {
      const at = new Date(input.at);
      await deps.models.AdAccount.updateOne(
        { _id: input.accountKey },
        { $set: { lastSweepAt: at, lastError: null, ...(input.firstSweep ? { firstSweepCompletedAt: at } : {}) } },
      );
      sweepsCompleted.inc({ network: input.accountKey.split(':')[0] ?? 'unknown' });
      // One pass over the account's ads instead of a count per status (each a scan where no index serves it).
      const counts = { tracked: 0, pending: 0, error: 0, excluded: 0 };
      const groups = await deps.models.Ad.aggregate<{ _id: string; n: number }>([
        { $match: { accountKey: input.accountKey } },
        { $group: { _id: '$trackingStatus', n: { $sum: 1 } } },
      ]);
      for (const group of groups) if (group._id in counts) counts[group._id as keyof typeof counts] = group.n;
      const due = await deps.models.Ad.findOne({ accountKey: input.accountKey, trackingStatus: 'error', nextRetryAt: { $ne: null } }, { nextRetryAt: 1 })
        .sort({ nextRetryAt: 1 })
        .lean();
      return { counts, nextRetryAt: due?.nextRetryAt ? new Date(due.nextRetryAt).toISOString() : null };
    },
  };
}
