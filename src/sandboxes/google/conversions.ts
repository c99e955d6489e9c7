import { createHash } from 'node:crypto';
import { adsError, GoogleApiError, partialFailureError, type AdsErrorEntry, type FieldPathElement } from './envelope';
import { parseDateTime } from './time';
import type { Customer, GoogleWorld } from './world';

/** customers/{id}:uploadClickConversions (reference §4.2, §4.3). */

export const MAX_CONVERSIONS_PER_REQUEST = 2_000;
const MAX_USER_IDENTIFIERS = 5;
const CLICK_WINDOW_MS = 90 * 86_400_000;
const CONVERSION_ACTION_MIN_AGE_MS = 6 * 3600_000;
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}:\d{2}$/;
const HASH = /^[0-9a-f]{64}$/;

export interface UploadContext {
  world: GoogleWorld;
  customer: Customer;
  version: string;
  requestId: string;
  itemFails(): boolean;
}

type Row = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
type RowError = { family: string; code: string; message: string; field?: string };

const rowError = (family: string, code: string, message: string, field?: string): RowError => ({ family, code, message, ...(field ? { field } : {}) });
const upload = (code: string, message: string, field?: string) => rowError('conversionUploadError', code, message, field);

function checkIdentifiers(ctx: UploadContext, row: Row): RowError | undefined {
  const { customer } = ctx;
  if (row.gbraid && row.wbraid) return upload('GBRAID_WBRAID_BOTH_SET', "Can't use both gbraid and wbraid parameters. Use only 1 and try again.");
  const ids = row.userIdentifiers;
  const clickId = row.gclid ?? row.gbraid ?? row.wbraid;
  if (ids !== undefined) {
    if (!Array.isArray(ids)) return rowError('fieldError', 'INVALID_VALUE', 'userIdentifiers must be a list.', 'user_identifiers');
    if (ids.length > MAX_USER_IDENTIFIERS) return rowError('collectionSizeError', 'TOO_MANY', 'Too many user identifiers.', 'user_identifiers');
    for (const raw of ids as Row[]) {
      const keys = Object.keys(raw ?? {}).filter((k) => k !== 'userIdentifierSource');
      if (keys.length !== 1) return upload('INVALID_USER_IDENTIFIER', 'Populate exactly one identifier per UserIdentifier.', 'user_identifiers');
      const [key] = keys;
      if (key !== 'hashedEmail' && key !== 'hashedPhoneNumber') return upload('UNSUPPORTED_USER_IDENTIFIER', 'The provided user identifiers are not supported. Use only hashed email or phone number and try again.', 'user_identifiers');
      const value = raw[key];
      if (typeof value !== 'string' || !HASH.test(value)) {
        return upload('INVALID_USER_IDENTIFIER', 'Make sure you hash user provided data using SHA-256 and ensure you are normalizing according to the guidelines.', 'user_identifiers');
      }
    }
  }
  if (clickId === undefined) {
    if (!Array.isArray(ids) || ids.length === 0) {
      // unconfirmed: the error for a conversion with neither a click id nor user identifiers.
      return rowError('fieldError', 'REQUIRED', 'One of gclid, gbraid, wbraid or user_identifiers is required.', 'gclid');
    }
    if (!customer.acceptedCustomerDataTerms) return upload('CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS', 'Make sure you agree to the customer data processing terms in conversion settings and try again.');
    if (!customer.enhancedConversionsForLeadsEnabled) {
      return upload('CUSTOMER_NOT_ENABLED_ENHANCED_CONVERSIONS_FOR_LEADS', "Make sure you've turned on enhanced conversions for leads in conversion settings and try again.");
    }
  }
  return undefined;
}

function checkClick(ctx: UploadContext, row: Row, conversionAt: number, debug: boolean): { error?: RowError; matched: boolean } {
  const gclid = row.gclid;
  if (gclid === undefined) return { matched: false };
  if (typeof gclid !== 'string' || !/^[A-Za-z0-9_-]{10,}$/.test(gclid)) return { error: upload('UNPARSEABLE_GCLID', 'The imported gclid could not be decoded.', 'gclid'), matched: false };
  const click = ctx.world.clicks.get(gclid);
  if (!click) {
    return debug ? { error: upload('EVENT_NOT_FOUND', 'The imported event could not be attributed to a click.', 'gclid'), matched: false } : { matched: false };
  }
  const now = ctx.world.now();
  if (click.customerId !== ctx.customer.id) return { error: upload('INVALID_CUSTOMER_FOR_CLICK', 'The click from the imported event is associated with a different Google Ads account.', 'gclid'), matched: false };
  if (conversionAt < click.at) return { error: upload('CONVERSION_PRECEDES_EVENT', 'The imported event has a conversion_date_time that precedes the click.', 'conversion_date_time'), matched: false };
  if (now - click.at > CLICK_WINDOW_MS) return { error: upload('EXPIRED_EVENT', "The imported event can't be recorded because its click occurred before this conversion's click-through window."), matched: false };
  if (now - click.at < ctx.world.config.minClickAgeSeconds * 1000) {
    return { error: upload('TOO_RECENT_EVENT', 'The click associated with the given identifier or iOS URL parameter occurred less than 6 hours ago. Retry after 6 hours have passed.'), matched: false };
  }
  return { matched: true };
}

function identifiersMatchALead(ctx: UploadContext, row: Row): boolean {
  const hashes = new Set(((row.userIdentifiers as Row[] | undefined) ?? []).map((u) => str(u.hashedEmail ?? u.hashedPhoneNumber)));
  return ctx.world.submissions.some((s) => s.customerId === ctx.customer.id && s.fields.some((f) => hashes.has(hashIdentifier(f.fieldType, f.fieldValue))));
}

/** Google's normalisation (reference §4.3) applied to the sandbox's own lead data, to match uploads against it. */
export function hashIdentifier(fieldType: string, value: string): string {
  let normalised = value.trim().toLowerCase();
  if (fieldType === 'EMAIL' || fieldType === 'WORK_EMAIL') {
    const [local = '', domain = ''] = normalised.split('@');
    if (domain === 'gmail.com' || domain === 'googlemail.com') normalised = `${local.replace(/\./g, '')}@${domain}`;
  } else if (fieldType.includes('PHONE')) normalised = normalised.replace(/[^\d+]/g, '');
  return createHash('sha256').update(normalised).digest('hex');
}

export function uploadClickConversions(ctx: UploadContext, body: Row): Row {
  if (body.partialFailure !== true) {
    throw new GoogleApiError(400, [
      adsError('partialFailureError', 'PARTIAL_FAILURE_MODE_REQUIRED', 'The partial failure field was false in the request. This method requires this field be set to true.'),
    ]);
  }
  const conversions = body.conversions;
  if (!Array.isArray(conversions) || conversions.length === 0) {
    throw new GoogleApiError(400, [adsError('fieldError', 'REQUIRED', 'The required field was not present.', [{ fieldName: 'conversions' }])]);
  }
  if (conversions.length > MAX_CONVERSIONS_PER_REQUEST) {
    throw new GoogleApiError(400, [adsError('conversionUploadError', 'TOO_MANY_CONVERSIONS_IN_REQUEST', 'Upload fewer than 2001 events in a single request.', [{ fieldName: 'conversions' }])]);
  }
  let jobId: number;
  if (body.jobId !== undefined) {
    const requested = Number(body.jobId);
    if (!Number.isInteger(requested) || requested < 1 || requested >= 2 ** 31) {
      throw new GoogleApiError(400, [adsError('conversionUploadError', 'INVALID_JOB_ID', 'A job ID must be a positive integer in the range [1, 2^31).', [{ fieldName: 'job_id' }])]);
    }
    jobId = requested;
  } else jobId = 2 ** 31 + ctx.world.conversions.length + 1;

  const validateOnly = body.validateOnly === true;
  const debug = body.debugEnabled === true;
  const cid = ctx.customer.id;
  const previous = ctx.world.conversions.filter((c) => c.accepted && c.customerId === cid);
  const seenOrders = new Set<string>();
  const seenClicks = new Set<string>();
  const errors: AdsErrorEntry[] = [];
  const results: Row[] = [];

  conversions.forEach((raw: unknown, index) => {
    const row = (raw ?? {}) as Row;
    const at = (field?: string): FieldPathElement[] => [{ fieldName: 'conversions', index }, ...(field ? [{ fieldName: field }] : [])];
    let error: RowError | undefined;
    let matched = false;
    const action = typeof row.conversionAction === 'string' ? row.conversionAction : '';
    const actionId = new RegExp(`^customers/${cid}/conversionActions/(\\d+)$`).exec(action)?.[1];
    const conversionAction = actionId ? ctx.world.conversionActions.get(actionId) : undefined;
    const when = typeof row.conversionDateTime === 'string' ? row.conversionDateTime : '';
    const conversionAt = DATE_TIME_WITH_OFFSET.test(when) ? parseDateTime(when, 'UTC') : undefined;
    const clickKey = `${str(row.gclid ?? row.gbraid ?? row.wbraid)}|${when}|${action}`;
    const orderKey = typeof row.orderId === 'string' && row.orderId !== '' ? `${action}|${row.orderId}` : undefined;

    if (!conversionAction || conversionAction.customerId !== cid || conversionAction.status === 'REMOVED') {
      error = upload('NO_CONVERSION_ACTION_FOUND', 'The conversion action specified in the upload request cannot be found.', 'conversion_action');
    } else if (conversionAction.type !== 'UPLOAD_CLICKS') {
      error = upload('INVALID_CONVERSION_ACTION_TYPE', "The conversion action specified in the upload request isn't set up for uploading conversions.", 'conversion_action');
    } else if (ctx.world.now() - conversionAction.createdAt < CONVERSION_ACTION_MIN_AGE_MS) {
      error = upload('TOO_RECENT_CONVERSION_ACTION', "Can't import events to a conversion action that was just created. Try importing again in 6 hours.", 'conversion_action');
    } else if (conversionAt === undefined) {
      error = rowError('dateError', 'INVALID_STRING_DATE_TIME_SECONDS_WITH_OFFSET', "The string date time's format should be yyyy-mm-dd hh:mm:ss+|-hh:mm.", 'conversion_date_time');
    } else {
      error = checkIdentifiers(ctx, row);
      if (!error) ({ error, matched } = checkClick(ctx, row, conversionAt, debug));
    }
    if (!error && orderKey) {
      if (seenOrders.has(orderKey)) error = upload('DUPLICATE_ORDER_ID', 'Imported events include multiple conversions with the same order ID and were not processed.', 'order_id');
      else if (previous.some((p) => `${str(p.conversion.conversionAction)}|${str(p.conversion.orderId)}` === orderKey)) {
        error = upload('ORDER_ID_ALREADY_IN_USE', 'The imported event includes an order ID that was previously recorded, so the event was not processed.', 'order_id');
      }
    } else if (!error && row.gclid !== undefined) {
      if (seenClicks.has(clickKey)) error = upload('DUPLICATE_CLICK_CONVERSION_IN_REQUEST', 'Multiple events have the same click and conversion_date_time.');
      else if (previous.some((p) => !p.conversion.orderId && `${str(p.conversion.gclid)}|${str(p.conversion.conversionDateTime)}|${str(p.conversion.conversionAction)}` === clickKey)) {
        error = upload('CLICK_CONVERSION_ALREADY_EXISTS', 'The imported event has the same click and conversion_date_time as an existing conversion.');
      }
    }
    if (!error && row.gclid === undefined && row.userIdentifiers !== undefined) {
      matched = identifiersMatchALead(ctx, row);
      if (!matched && debug) error = upload('CLICK_NOT_FOUND', "The email address or phone number for this event can't be matched to a click.");
    }
    if (!error && ctx.itemFails()) {
      // unconfirmed: how a per-row transient failure of an upload is reported.
      error = rowError('internalError', 'TRANSIENT_ERROR', 'An internal error occurred. Retry the request.');
    }

    if (error) {
      errors.push(adsError(error.family, error.code, error.message, at(error.field)));
      results.push({});
    } else {
      if (orderKey) seenOrders.add(orderKey);
      if (!orderKey && row.gclid !== undefined) seenClicks.add(clickKey);
      results.push({
        ...(row.gclid !== undefined ? { gclid: row.gclid } : {}),
        ...(row.gbraid !== undefined ? { gbraid: row.gbraid } : {}),
        ...(row.wbraid !== undefined ? { wbraid: row.wbraid } : {}),
        conversionAction: action,
        conversionDateTime: when,
        ...(Array.isArray(row.userIdentifiers) ? { userIdentifiers: row.userIdentifiers } : {}),
      });
    }
    if (!validateOnly) {
      if (!error && matched && typeof row.gclid === 'string') {
        ctx.world.uploadedConversionsByClick.set(row.gclid, (ctx.world.uploadedConversionsByClick.get(row.gclid) ?? 0) + 1);
      }
      ctx.world.conversions.push({
        at: new Date(ctx.world.now()).toISOString(),
        customerId: cid,
        jobId: String(jobId),
        index,
        accepted: !error,
        ...(error ? { error: { family: error.family, code: error.code, message: error.message } } : { matched }),
        conversion: row,
      });
    }
  });

  return {
    results,
    ...(errors.length > 0 ? { partialFailureError: partialFailureError(ctx.version, errors, ctx.requestId) } : {}),
    jobId: String(jobId),
  };
}
