import { describe, expect, it } from 'vitest';
import { hashEmail, normaliseEmail, normalisePhone } from '../../src/networks/google';
import { classify, durationToMs, itemErrors } from '../../src/networks/google/errors';
import { deliveryStatus, idFromResourceName, toAdDayMetrics } from '../../src/networks/google/mappers';
import { gaqlString } from '../../src/networks/google/queries';
import { parseAccountDateTime, toAccountDateTime, toConversionDateTime } from '../../src/networks/google/time';

/** Pure parts of the Google client: error classification, row mapping, normalisation, time zones. */

describe('§7.1 error classification', () => {
  it.each([
    ['authenticationError', 'OAUTH_TOKEN_EXPIRED', 'UNAUTHENTICATED', 401, 'auth'],
    ['authenticationError', 'DEVELOPER_TOKEN_INVALID', 'UNAUTHENTICATED', 401, 'invalid'],
    ['authorizationError', 'USER_PERMISSION_DENIED', 'PERMISSION_DENIED', 403, 'permission'],
    ['quotaError', 'RESOURCE_TEMPORARILY_EXHAUSTED', 'RESOURCE_EXHAUSTED', 429, 'rate_limited'],
    ['quotaError', 'RESOURCE_EXHAUSTED', 'RESOURCE_EXHAUSTED', 429, 'rate_limited'],
    ['databaseError', 'CONCURRENT_MODIFICATION', 'ABORTED', 409, 'transient'],
    ['internalError', 'INTERNAL_ERROR', 'INTERNAL', 500, 'transient'],
    ['urlFieldError', 'MISSING_TRACKING_URL_TEMPLATE_TAG', 'INVALID_ARGUMENT', 400, 'invalid'],
    ['mutateError', 'RESOURCE_NOT_FOUND', 'INVALID_ARGUMENT', 400, 'not_found'],
    [undefined, undefined, 'UNAVAILABLE', 503, 'transient'],
  ] as const)('%s %s → %s', (family, code, status, http, kind) => {
    expect(classify(family, code, status, http)).toBe(kind);
  });

  it('reads retryDelay durations and partial-failure indexes', () => {
    expect(durationToMs('30s')).toBe(30_000);
    expect(durationToMs('1.5s')).toBe(1_500);
    expect(durationToMs(undefined)).toBeUndefined();
    const errors = itemErrors(
      {
        code: 3,
        details: [
          {
            errors: [
              { errorCode: { urlFieldError: 'INVALID_TAG_IN_TRACKING_URL_TEMPLATE' }, message: 'bad tag', location: { fieldPathElements: [{ fieldName: 'operations', index: 2 }] } },
              { errorCode: { databaseError: 'CONCURRENT_MODIFICATION' }, message: 'retry', location: { fieldPathElements: [{ fieldName: 'operations', index: 0 }] } },
            ],
          },
        ],
      },
      'operations',
    );
    expect([...errors.keys()].sort()).toEqual([0, 2]);
    expect(errors.get(2)).toMatchObject({ kind: 'invalid', code: 'INVALID_TAG_IN_TRACKING_URL_TEMPLATE' });
    expect(errors.get(0)).toMatchObject({ kind: 'transient', code: 'CONCURRENT_MODIFICATION' });
  });
});

describe('row mapping', () => {
  it('§2.4 delivery status: enabled + under review → pending_review; disapproved; paused anywhere → paused', () => {
    const row = (ad: string, group: string, campaign: string, review?: string, approval?: string) => ({
      campaign: { status: campaign },
      adGroup: { status: group },
      adGroupAd: { status: ad, policySummary: { ...(review ? { reviewStatus: review } : {}), ...(approval ? { approvalStatus: approval } : {}) } },
    });
    expect(deliveryStatus(row('ENABLED', 'ENABLED', 'ENABLED', 'REVIEWED', 'APPROVED'))).toBe('active');
    expect(deliveryStatus(row('ENABLED', 'ENABLED', 'ENABLED', 'REVIEW_IN_PROGRESS'))).toBe('pending_review');
    expect(deliveryStatus(row('ENABLED', 'ENABLED', 'ENABLED', 'REVIEWED', 'DISAPPROVED'))).toBe('disapproved');
    expect(deliveryStatus(row('ENABLED', 'PAUSED', 'ENABLED'))).toBe('paused');
    expect(deliveryStatus(row('REMOVED', 'ENABLED', 'ENABLED'))).toBe('deleted');
  });

  it('§6 turns cost_micros into spend and int64 strings into numbers', () => {
    expect(toAdDayMetrics({ adGroupAd: { ad: { id: '333' } }, segments: { date: '2024-05-01' }, metrics: { impressions: '1520', clicks: '37', costMicros: '18450000', conversions: 3 } })).toEqual({
      adId: '333',
      date: '2024-05-01',
      impressions: 1520,
      clicks: 37,
      spend: 18.45,
      conversions: 3,
    });
    expect(idFromResourceName('customers/1/adGroupAds/222~333')).toBe('333');
  });
});

describe('§4.3 identifier normalisation', () => {
  it('normalises gmail addresses and phones before hashing', () => {
    expect(normaliseEmail(' Jane.Doe@Gmail.com ')).toBe('janedoe@gmail.com');
    expect(normaliseEmail('Jane.Doe@Example.com')).toBe('jane.doe@example.com');
    expect(normalisePhone('+1 (415) 555-2671')).toBe('+14155552671');
    expect(hashEmail('JANE@example.com')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEmail('JANE@example.com')).toBe(hashEmail('jane@example.com'));
  });
});

describe('account-local time', () => {
  it('formats filters in the account zone and parses offsets back to UTC', () => {
    const instant = new Date('2024-05-01T17:15:00Z');
    expect(toAccountDateTime(instant, 'America/Los_Angeles')).toBe('2024-05-01 10:15:00');
    expect(toAccountDateTime(instant, 'Asia/Kolkata')).toBe('2024-05-01 22:45:00');
    expect(parseAccountDateTime('2024-05-01 10:15:00-07:00')).toBe('2024-05-01T17:15:00.000Z');
    expect(parseAccountDateTime('2024-05-01 22:45:00', 'Asia/Kolkata')).toBe('2024-05-01T17:15:00.000Z');
    expect(toConversionDateTime('2024-05-01T17:15:00.123Z')).toBe('2024-05-01 17:15:00+00:00');
    expect(gaqlString("O'Brien")).toBe("'O\\'Brien'");
  });
});
