import { createHash } from 'node:crypto';
import { readDestination } from '../errors';
import type { ConversionDestinationCheck, NetworkErrorInfo } from '../types';
import { errorFromResponse } from './errors';
import type { CollectionResponse, RestliTransport } from './http';
import { buildQuery, idOf, urns } from './restli';

/** §4.2: at most 5,000 events per BATCH_CREATE. */
export const CONVERSION_EVENTS_BATCH_MAX = 5_000;

/** One server-side conversion, in our terms; mapped to the §4.2 wire shape below. */
export interface LinkedInConversionEvent {
  /** Conversion rule id ("104012") or URN (`urn:lla:llaPartnerConversion:104012`). */
  conversionRuleId: string;
  /** When it happened (ISO time); LinkedIn refuses events older than 90 days. */
  happenedAt: string;
  /** Stable id so resends and the Insight Tag dedupe (CONV-7). */
  eventId: string;
  value?: { amount: number | string; currencyCode: string };
  /** Plain email; trimmed, lowercased and SHA-256 hashed before it leaves (CONV-9). */
  email?: string;
  /** Already hashed email (64 lowercase hex). */
  sha256Email?: string;
  /** The `li_fat_id` click id / first-party cookie value. */
  liFatId?: string;
  userInfo?: { firstName: string; lastName: string; companyName?: string; title?: string; countryCode?: string };
}

export interface ConversionEventResult {
  /** Position of the event in the input list. */
  index: number;
  eventId: string;
  ok: boolean;
  error?: NetworkErrorInfo;
}

export interface ConversionRule {
  id: string;
  name: string;
  type: string;
  enabled: boolean;
}

/** §4.2: trim + lowercase, then SHA-256 hex. */
export function hashEmailForLinkedIn(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

function toWire(event: LinkedInConversionEvent) {
  const ruleUrn = event.conversionRuleId.startsWith('urn:') ? event.conversionRuleId : urns.conversion(event.conversionRuleId);
  const sha = event.sha256Email ?? (event.email ? hashEmailForLinkedIn(event.email) : undefined);
  const userIds = [
    ...(sha ? [{ idType: 'SHA256_EMAIL', idValue: sha }] : []),
    ...(event.liFatId ? [{ idType: 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID', idValue: event.liFatId }] : []),
  ];
  return {
    conversion: ruleUrn,
    conversionHappenedAt: Date.parse(event.happenedAt),
    ...(event.value ? { conversionValue: { currencyCode: event.value.currencyCode, amount: String(event.value.amount) } } : {}),
    eventId: event.eventId,
    user: { userIds, ...(event.userInfo ? { userInfo: event.userInfo } : {}) },
  };
}

/**
 * §4.2 BATCH_CREATE in chunks of ≤ 5,000, with the per-element statuses mapped back to each event.
 * A whole-call failure (auth, throttling, 5xx) throws: resending is safe, `eventId` dedupes.
 */
export async function sendConversionEvents(api: RestliTransport, accessToken: string, events: LinkedInConversionEvent[]): Promise<ConversionEventResult[]> {
  const results: ConversionEventResult[] = [];
  for (let offset = 0; offset < events.length; offset += CONVERSION_EVENTS_BATCH_MAX) {
    const chunk = events.slice(offset, offset + CONVERSION_EVENTS_BATCH_MAX);
    const { data } = await api.post<{ elements?: { status?: number; error?: unknown }[] }>(accessToken, '/conversionEvents', { elements: chunk.map(toWire) }, 'BATCH_CREATE');
    chunk.forEach((event, i) => {
      const element = data?.elements?.[i];
      const status = element?.status ?? 500;
      const ok = status >= 200 && status < 300;
      results.push({
        index: offset + i,
        eventId: event.eventId,
        ok,
        ...(ok ? {} : { error: errorFromResponse(status, element?.error ?? { message: 'No status for this event in the batch answer' }, {}).toInfo() }),
      });
    });
  }
  return results;
}

/** §4.1 conversion rules of an account (`q=account`). */
export async function listConversionRules(api: RestliTransport, accessToken: string, accountId: string): Promise<ConversionRule[]> {
  const rules: ConversionRule[] = [];
  const count = 100;
  for (let start = 0; ; start += count) {
    const page = await api.get<CollectionResponse<{ id: number; name: string; type: string; enabled: boolean }>>(
      accessToken,
      '/conversions',
      buildQuery({ q: 'account', account: urns.account(accountId), start, count }),
    );
    rules.push(...(page.elements ?? []).map((r) => ({ id: String(r.id), name: r.name, type: r.type, enabled: r.enabled })));
    if ((page.elements ?? []).length < count) return rules;
  }
}

export function checkConversionRule(api: RestliTransport, accessToken: string, accountId: string, ruleUrn: string): Promise<ConversionDestinationCheck> {
  const ruleId = idOf(ruleUrn);
  if (!ruleId) return Promise.resolve({ ok: false, problem: 'not_found', message: `"${ruleUrn}" is not a conversion rule URN.` });
  return readDestination(`Conversion rule ${ruleUrn}`, async () => {
    const rule = await api.get<{ account?: string; enabled?: boolean }>(accessToken, `/conversions/${ruleId}`, buildQuery({ account: urns.account(accountId) }));
    if (rule.account !== urns.account(accountId)) return { ok: false, problem: 'not_found', message: `Conversion rule ${ruleUrn} belongs to another ad account.` };
    if (rule.enabled === false) return { ok: false, problem: 'not_usable', message: `Conversion rule ${ruleUrn} is disabled.` };
    return { ok: true };
  });
}
