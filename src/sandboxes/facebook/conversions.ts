import { GraphError, fbtraceId, nonexistentNode, type GraphErrorFields } from './graph-error';
import type { RouteContext, RouteTable } from './graph-router';
import { asText } from './values';

/** §8.2 */
const ACTION_SOURCES = ['email', 'website', 'app', 'phone_call', 'chat', 'physical_store', 'system_generated', 'business_messaging', 'other'];
/** §8.3: keys that must arrive SHA-256 hashed (lowercase hex). */
const HASHED_KEYS = ['em', 'ph', 'fn', 'ln', 'ge', 'db', 'ct', 'st', 'zp', 'country'];
const IDENTIFIER_KEYS = [...HASHED_KEYS, 'external_id', 'client_ip_address', 'client_user_agent', 'fbc', 'fbp', 'subscription_id', 'fb_login_id', 'lead_id', 'anon_id', 'madid', 'page_id', 'ctwa_clid'];
const SHA256_HEX = /^[a-f0-9]{64}$/;
const MAX_EVENTS = 1000;
const MAX_AGE_SECONDS = 7 * 86_400;
const MAX_AGE_PHYSICAL_STORE_SECONDS = 62 * 86_400;
// unconfirmed: how far in the future event_time may be; one minute of clock skew is allowed here.
const MAX_FUTURE_SECONDS = 60;
const DEDUP_WINDOW_SECONDS = 48 * 3600;

export interface RecordedEvent {
  pixelId: string;
  receivedAt: number;
  eventName: string;
  eventId?: string;
  eventTime: number;
  actionSource: string;
  testEventCode?: string;
  /** Set when an earlier event with the same pixel, event_name and event_id arrived within 48 h (§8.5). */
  duplicateOf?: number;
  seq: number;
  event: Record<string, unknown>;
}

export interface RejectedRequest {
  pixelId: string;
  receivedAt: number;
  eventCount: number;
  error: GraphErrorFields;
}

/** What `/{pixel_id}/events` accepted and rejected, for `GET /_sandbox/conversions`. */
export class ConversionsLedger {
  readonly accepted: RecordedEvent[] = [];
  readonly rejected: RejectedRequest[] = [];
  private readonly firstSeen = new Map<string, RecordedEvent>();

  reset(): void {
    this.accepted.length = 0;
    this.rejected.length = 0;
    this.firstSeen.clear();
  }

  /** Returns what was recorded, duplicates marked. */
  record(pixelId: string, events: Record<string, unknown>[], now: number, testEventCode?: string): RecordedEvent[] {
    const recordedNow: RecordedEvent[] = [];
    for (const event of events) {
      const eventId = typeof event.event_id === 'string' ? event.event_id : undefined;
      const recorded: RecordedEvent = {
        pixelId,
        receivedAt: now,
        eventName: String(event.event_name),
        ...(eventId !== undefined ? { eventId } : {}),
        eventTime: Number(event.event_time),
        actionSource: String(event.action_source),
        ...(testEventCode ? { testEventCode } : {}),
        seq: this.accepted.length + 1,
        event,
      };
      if (eventId !== undefined) {
        const key = `${pixelId}|${recorded.eventName}|${eventId}`;
        const first = this.firstSeen.get(key);
        if (first && now - first.receivedAt <= DEDUP_WINDOW_SECONDS) recorded.duplicateOf = first.seq;
        else this.firstSeen.set(key, recorded);
      }
      this.accepted.push(recorded);
      recordedNow.push(recorded);
    }
    return recordedNow;
  }
}

class EventRejected extends GraphError {
  constructor(index: number, title: string, detail: string, subcode?: number) {
    super(400, {
      message: 'Invalid parameter',
      type: 'OAuthException',
      code: 100,
      // unconfirmed: subcodes other than 2804003 (event too old) are not published; left out.
      ...(subcode !== undefined ? { error_subcode: subcode } : {}),
      is_transient: false,
      error_user_title: title,
      error_user_msg: `data[${index}]: ${detail}`,
    });
  }
}

/** One bad event rejects the whole request (§8.2, §8.5); nothing is recorded then. */
export function validateEvents(data: unknown, now: number, knownLeadIds: (id: string) => boolean): Record<string, unknown>[] {
  if (!Array.isArray(data) || data.length === 0) {
    throw new GraphError(400, { message: '(#100) The parameter data is required', type: 'OAuthException', code: 100 });
  }
  if (data.length > MAX_EVENTS) {
    throw new GraphError(400, {
      message: `(#100) param data must be an array of maximum ${MAX_EVENTS} elements`,
      type: 'OAuthException',
      code: 100,
      error_user_title: 'Too Many Events',
      error_user_msg: `A request may carry at most ${MAX_EVENTS} events; this one carried ${data.length}.`,
    });
  }
  data.forEach((raw, i) => validateEvent(raw, i, now, knownLeadIds));
  return data as Record<string, unknown>[];
}

function validateEvent(raw: unknown, i: number, now: number, knownLeadIds: (id: string) => boolean): void {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new EventRejected(i, 'Invalid Event', 'each event must be an object');
  const event = raw as Record<string, unknown>;
  if (typeof event.event_name !== 'string' || !event.event_name) throw new EventRejected(i, 'Missing Event Name', 'event_name is required');
  const time = event.event_time;
  if (typeof time !== 'number' || !Number.isInteger(time)) throw new EventRejected(i, 'Invalid Event Time', 'event_time must be Unix seconds (integer)');
  const source = event.action_source;
  if (typeof source !== 'string' || !ACTION_SOURCES.includes(source)) {
    throw new EventRejected(i, 'Invalid Action Source', `action_source must be one of ${ACTION_SOURCES.join(', ')}`);
  }
  const maxAge = source === 'physical_store' ? MAX_AGE_PHYSICAL_STORE_SECONDS : MAX_AGE_SECONDS;
  if (now - time > maxAge) {
    throw new EventRejected(i, 'Event Timestamp Too Old', `event_time ${time} is more than ${maxAge / 86_400} days old`, 2804003);
  }
  if (time - now > MAX_FUTURE_SECONDS) throw new EventRejected(i, 'Event Timestamp In Future', `event_time ${time} is in the future`);
  const user = event.user_data;
  if (typeof user !== 'object' || user === null || Array.isArray(user)) throw new EventRejected(i, 'Missing User Data', 'user_data is required');
  const userData = user as Record<string, unknown>;
  if (!IDENTIFIER_KEYS.some((key) => userData[key] !== undefined && userData[key] !== '')) {
    throw new EventRejected(i, 'Missing User Data', 'user_data needs at least one customer information parameter');
  }
  for (const key of HASHED_KEYS) {
    const value = userData[key];
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    if (!values.every((v) => typeof v === 'string' && SHA256_HEX.test(v))) {
      throw new EventRejected(i, 'Invalid Hashed Value', `user_data.${key} must be SHA-256 hashed: 64 lowercase hex characters`);
    }
  }
  if (source === 'website') {
    if (typeof event.event_source_url !== 'string' || !event.event_source_url) {
      throw new EventRejected(i, 'Missing Event Source URL', 'event_source_url is required when action_source is website');
    }
    if (typeof userData.client_user_agent !== 'string' || !userData.client_user_agent) {
      throw new EventRejected(i, 'Missing User Agent', 'user_data.client_user_agent is required when action_source is website');
    }
  }
  const custom = (event.custom_data ?? {}) as Record<string, unknown>;
  if (custom.event_source === 'crm') {
    if (source !== 'system_generated') throw new EventRejected(i, 'Invalid CRM Event', 'CRM events need action_source system_generated');
    if (typeof custom.lead_event_source !== 'string' || !custom.lead_event_source) {
      throw new EventRejected(i, 'Invalid CRM Event', 'CRM events need custom_data.lead_event_source (the CRM name)');
    }
  }
  if (userData.lead_id !== undefined) {
    const leadId = asText(userData.lead_id);
    if (!/^\d{15,17}$/.test(leadId) || !knownLeadIds(leadId)) throw new EventRejected(i, 'Invalid Lead ID', `user_data.lead_id ${leadId} is not a lead of this business`);
  }
}

function postEvents(ctx: RouteContext): unknown {
  const pixel = ctx.world.pixels.get(ctx.nodeId);
  if (!pixel) throw nonexistentNode(ctx.nodeId, 'POST');
  ctx.auth().requireScope('ads_management');
  const now = ctx.world.nowSeconds();
  const data = ctx.json('data');
  const testEventCode = ctx.string('test_event_code');
  if (Array.isArray(data)) ctx.batchSize = data.length;
  try {
    const events = validateEvents(data, now, (id) => ctx.world.leads.has(id));
    const recorded = ctx.state.conversions.record(pixel.id, events, now, testEventCode);
    // Test events and deduplicated repeats never reach reporting (§8.5).
    for (const entry of recorded) if (!entry.testEventCode && entry.duplicateOf === undefined) ctx.world.clickAttribution.creditLead(entry.event);
    return { events_received: events.length, messages: [], fbtrace_id: fbtraceId() };
  } catch (error) {
    if (error instanceof GraphError) {
      ctx.state.conversions.rejected.push({ pixelId: pixel.id, receivedAt: now, eventCount: Array.isArray(data) ? data.length : 0, error: error.fields });
    }
    throw error;
  }
}

export const conversionRoutes: RouteTable = {
  'POST pixel/events': { handler: postEvents, auth: true, buc: 'ads_management' },
};
