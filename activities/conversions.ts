import { ApplicationFailure, Context, heartbeat } from '@temporalio/activity';
import type { Models } from '../src/db/models';
import type { AdAccountRecord } from '../src/db/models/ad-account';
import type { ConversionDefinitionStatus } from '../src/db/models/conversion-definition';
import type { LedgerReason } from '../src/db/models/conversion-ledger';
import { isWithinNetworkWindow, skipReasons } from '../src/domain/conversions';
import { markSkipped, pendingRows, replayJournals, settleRows } from '../src/conversions/ledger';
import { DefinitionNotFoundError, loadDefinitionRecord, prepareConversions, type PrepareInput, type PrepareResult } from '../src/conversions/prepare';
import { sendRows, type RowRetry } from '../src/conversions/send';
import type { Network } from '../src/networks/types';
import { withAccessToken, type TokenDeps } from './tokens';
import { FailureType } from '../src/domain/failures';

/**
 * Activities of the conversion workflow (`workflows/conversions.ts`). They take and return ids only:
 * contacts are loaded, and payloads built and hashed, in here — never in workflow history.
 */
export interface ConversionDeps extends TokenDeps {
  models: Models;
}

export interface SendBatchInput {
  definitionId: string;
  eventIds: string[];
}

export interface SendBatchResult {
  sent: number;
  failed: number;
  /** Rows found too old for the network when the batch was cut (marked, not sent). */
  skipped: number;
  retry: RowRetry[];
  lastError?: string;
}

function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.InvalidInput, message, nonRetryable: true });
}

async function definitionOrFail(models: Models, definitionId: string) {
  try {
    return await loadDefinitionRecord(models, definitionId);
  } catch (error) {
    if (error instanceof DefinitionNotFoundError) throw invalidInput(error.message);
    throw error;
  }
}

export function createConversionActivities(deps: ConversionDeps) {
  return {
    async loadConversionDefinition(input: { definitionId: string }): Promise<{
      found: boolean;
      network: Network;
      adAccountId: string;
      enabled: boolean;
      status: ConversionDefinitionStatus;
      replacedBy: string | null;
    }> {
      const record = await deps.models.ConversionDefinition.findById(input.definitionId).lean();
      if (!record) return { found: false, network: 'facebook', adAccountId: '', enabled: false, status: 'deleted', replacedBy: null };
      return {
        found: true,
        network: record.network,
        adAccountId: record.adAccountId,
        enabled: record.enabled,
        status: record.status,
        replacedBy: record.replacedBy,
      };
    },

    /** Evaluates up to a chunk of references and writes their ledger rows (see `src/conversions/prepare.ts`). */
    async prepareConversions(input: PrepareInput): Promise<PrepareResult> {
      try {
        return await prepareConversions({ models: deps.models }, input);
      } catch (error) {
        if (error instanceof DefinitionNotFoundError) throw invalidInput(error.message);
        throw error;
      }
    },

    /** Sends one batch; the ledger decides what is still to send, so a retry never sends a row twice. */
    async sendConversionBatch(input: SendBatchInput): Promise<SendBatchResult> {
      const definition = await definitionOrFail(deps.models, input.definitionId);
      // A batch answered before a crash is recorded from its journal first — never sent again.
      await replayJournals(deps.models, input.definitionId);
      // Only outbox rows are sent: an event leaves the outbox when the ledger records its outcome.
      const rows = await pendingRows(deps.models, input.definitionId, input.eventIds);
      const result: SendBatchResult = { sent: 0, failed: 0, skipped: 0, retry: [] };
      if (rows.length === 0) return result;

      const now = Date.now();
      const stale = rows.filter((r) => !isWithinNetworkWindow(definition.network, r.occurredAt.getTime(), now));
      const live = rows.filter((r) => isWithinNetworkWindow(definition.network, r.occurredAt.getTime(), now));
      const attempt = Context.current().info.attempt;
      if (stale.length > 0) {
        const reason = skipReasons.outsideNetworkWindow(definition.network);
        result.skipped = await settleRows(deps.models, stale.map((row) => ({ row, outcome: { status: 'skipped' as const, reason, response: null } })), attempt);
      }
      if (live.length === 0) return result;

      const account = await deps.models.AdAccount.findById(definition.accountKey).lean<AdAccountRecord>();
      if (!account?.connectionId || account.status === 'disconnected') {
        throw ApplicationFailure.create({ type: FailureType.NetworkAuth, message: `Ad account ${definition.adAccountId} is not connected; reconnect it.`, nonRetryable: true });
      }
      const outcome = await withAccessToken(deps, account.connectionId, (accessToken, client) =>
        sendRows({ models: deps.models, definition, rows: live, accessToken, client, attempt, heartbeat: () => heartbeat() }),
      );
      result.sent = outcome.sent;
      result.failed = outcome.failed;
      result.retry = outcome.retry;
      await deps.models.ConversionDefinition.updateOne(
        { _id: input.definitionId },
        {
          $set: {
            ...(outcome.sent > 0 ? { lastSentAt: new Date() } : {}),
            ...(outcome.lastError ? { lastError: { message: outcome.lastError, at: new Date() } } : {}),
          },
        },
      );
      if (outcome.lastError) result.lastError = outcome.lastError;
      return result;
    },

    /** Pending rows that will not be sent after all (too old, switched off, deleted), with the reason. */
    async settleConversions(input: { definitionId: string; eventIds: string[]; reason: LedgerReason }): Promise<number> {
      return markSkipped(deps.models, input.definitionId, input.eventIds, input.reason);
    },

    /** A batch exhausted its retries (or the token is gone): shown as the definition's last error. */
    async recordConversionError(input: { definitionId: string; message: string }): Promise<void> {
      await deps.models.ConversionDefinition.updateOne({ _id: input.definitionId }, { $set: { lastError: { message: input.message, at: new Date() } } });
    },
  };
}

export type ConversionActivities = ReturnType<typeof createConversionActivities>;
