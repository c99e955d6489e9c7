import { describe, expect, it } from 'vitest';
import { engagementCapMeasuresNow, REASON_ADVICE, TRACKING_REASON_CODES } from '../../src/domain/tracking';
import { templatePreviewParams } from '../../src/admin/ads/templates-page';

const CONNECTED_OFF = { trackingStartedAt: '2026-01-10T00:00:00.000Z' };

describe('TRK-4 when an account is connected with auto-tracking off to preview first (issue 13)', () => {
  it('the workflow\'s first sweep always measures the cap, as before', () => {
    expect(engagementCapMeasuresNow({ workflowFirstSweep: true, trackingStartedAt: null, adFirstSeenAt: undefined, adNeverPlannedOn: false })).toBe(true);
  });

  it('an account connected with auto-tracking on never measures it again', () => {
    expect(engagementCapMeasuresNow({ workflowFirstSweep: false, trackingStartedAt: null, adFirstSeenAt: '2026-01-01T00:00:00.000Z', adNeverPlannedOn: true })).toBe(false);
  });

  it('an ad that existed before the switch and was never planned with tracking on is measured', () => {
    expect(engagementCapMeasuresNow({ workflowFirstSweep: false, ...CONNECTED_OFF, adFirstSeenAt: '2026-01-09T00:00:00.000Z', adNeverPlannedOn: true })).toBe(true);
  });

  it('an ad first seen after the switch, or already planned with tracking on, is not', () => {
    expect(engagementCapMeasuresNow({ workflowFirstSweep: false, ...CONNECTED_OFF, adFirstSeenAt: '2026-01-11T00:00:00.000Z', adNeverPlannedOn: true })).toBe(false);
    expect(engagementCapMeasuresNow({ workflowFirstSweep: false, ...CONNECTED_OFF, adFirstSeenAt: '2026-01-09T00:00:00.000Z', adNeverPlannedOn: false })).toBe(false);
    expect(engagementCapMeasuresNow({ workflowFirstSweep: false, ...CONNECTED_OFF, adFirstSeenAt: undefined, adNeverPlannedOn: true })).toBe(false);
  });
});

describe('console wording and TRK-9 template preview (issue 13)', () => {
  it('every reason code has a title and an action in the admin-facing table', () => {
    for (const code of TRACKING_REASON_CODES) {
      expect(REASON_ADVICE[code].title, code).toBeTruthy();
      expect(REASON_ADVICE[code].whatToDo, code).toBeTruthy();
    }
  });

  it('the template preview applies the utm overrides and keeps every other parameter', () => {
    const plain = Object.fromEntries(templatePreviewParams('linkedin', {}).map((p) => [p.key, p.value]));
    const overridden = Object.fromEntries(templatePreviewParams('linkedin', { utmSource: 'newsletter' }).map((p) => [p.key, p.value]));
    expect(plain.utm_source).toBe('linkedin');
    expect(overridden).toEqual({ ...plain, utm_source: 'newsletter' });
    expect(Object.fromEntries(templatePreviewParams('google', { utmMedium: 'cpc' }).map((p) => [p.key, p.value]))).toMatchObject({ utm_source: 'adwords', utm_medium: 'cpc' });
  });
});
