/** What the admin API shows of a definition: its fields, ledger counts and the workflow's live state (CONV-8). */
import type { Client } from '@temporalio/client';
import { conversionStateQuery, conversionWorkflowId, type ConversionLiveState } from '../../workflows/conversions-definitions';
import type { Models } from '../db/models';
import type { ConversionDefinitionRecord } from '../db/models/conversion-definition';
import { ledgerCounts, type LedgerCounts } from './ledger';

interface ViewContext {
  db: { models: Models };
  temporal: Client;
}

export function presentDefinition(record: ConversionDefinitionRecord) {
  return {
    id: record._id,
    name: record.name,
    network: record.network,
    adAccountId: record.adAccountId,
    trigger: record.trigger,
    audience: record.audience,
    eventName: record.eventName,
    value: record.value,
    currency: record.currency,
    predictiveLeadScore: record.predictiveLeadScore,
    consent: record.consent,
    sharedFields: record.sharedFields,
    pixelId: record.pixelId,
    conversionAction: record.conversionAction,
    conversionRule: record.conversionRule,
    api: record.api,
    enabled: record.enabled,
    status: record.status,
    createdAt: record.createdAt,
    activeFrom: record.activeFrom,
    replaces: record.replaces,
    replacedBy: record.replacedBy,
    lastSentAt: record.lastSentAt,
    lastError: record.lastError,
    workflowId: conversionWorkflowId(record._id),
  };
}

const LIVE_QUERY_TIMEOUT_MS = 3_000;

/** The workflow's live state, or null when it is not running (or does not answer in time). */
export async function liveStateOf(ctx: ViewContext, id: string): Promise<ConversionLiveState | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      ctx.temporal.workflow.getHandle(conversionWorkflowId(id)).query(conversionStateQuery),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), LIVE_QUERY_TIMEOUT_MS);
      }),
    ]);
  } catch {
    return null;
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export async function definitionDetails(ctx: ViewContext, record: ConversionDefinitionRecord): Promise<ReturnType<typeof presentDefinition> & { counts: LedgerCounts; live: ConversionLiveState | null }> {
  const [counts, live] = await Promise.all([ledgerCounts(ctx.db.models, record._id), liveStateOf(ctx, record._id)]);
  return { ...presentDefinition(record), counts, live };
}
