import { describe, expect, it } from 'vitest';
import {
  NETWORK_WINDOW_MS,
  SEND_MARGIN_MS,
  conversionEventId,
  decideConversion,
  eventIdFor,
  toDefinition,
  type ContactSnapshot,
  type ConversionDecision,
  type ConversionEventDefinition,
  type ConversionEventDraft,
  type FormSubmissionActivity,
  type LifecycleActivity,
} from '../../src/domain/conversions';

const CREATED = '2026-03-01T00:00:00.000Z';
const T = Date.parse('2026-03-02T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;

function definition(draft: Partial<ConversionEventDraft> & Pick<ConversionEventDraft, 'network' | 'trigger'>, extra: Partial<ConversionEventDefinition> = {}) {
  const full: ConversionEventDraft = {
    adAccountId: draft.network === 'google' ? '1234567890' : draft.network === 'facebook' ? 'act_1' : '507404993',
    pixelId: '555',
    conversionActionId: '77',
    conversionRuleId: '104012',
    ...draft,
  };
  return { ...toDefinition(full, { id: 'def-1', createdAt: CREATED }), ...extra };
}

const fbLifecycle = (extra: Partial<ConversionEventDraft> = {}, defExtra: Partial<ConversionEventDefinition> = {}) =>
  definition({ network: 'facebook', trigger: { kind: 'lifecycle_stage', stages: ['marketingqualifiedlead', 'customer'] }, ...extra }, defExtra);
const fbForm = (extra: Partial<ConversionEventDraft> = {}) => definition({ network: 'facebook', trigger: { kind: 'form_submission', formId: 'form-1' }, ...extra });
const googleForm = (extra: Partial<ConversionEventDraft> = {}) => definition({ network: 'google', trigger: { kind: 'form_submission', formId: 'form-1' }, ...extra });
const linkedInForm = (extra: Partial<ConversionEventDraft> = {}) => definition({ network: 'linkedin', trigger: { kind: 'form_submission', formId: 'form-1' }, ...extra });

const contact = (overrides: Partial<ContactSnapshot> = {}): ContactSnapshot => ({
  id: 'contact-1',
  email: 'Jane.Doe@Example.com',
  phone: '+1 650 555 1212',
  firstName: 'Jane',
  lastName: 'Doe',
  facebookLeadId: '444444444444444',
  interactedWithAds: true,
  properties: { ads_consent: 'yes' },
  ...overrides,
});

const stageChange = (overrides: Partial<LifecycleActivity> = {}): LifecycleActivity => ({
  kind: 'lifecycle_stage',
  contactId: 'contact-1',
  stage: 'marketingqualifiedlead',
  at: iso(T),
  ...overrides,
});

const submission = (overrides: Partial<FormSubmissionActivity> = {}): FormSubmissionActivity => ({
  kind: 'form_submission',
  contactId: 'contact-1',
  formId: 'form-1',
  submissionId: 'sub-1',
  at: iso(T),
  pageUrl: 'https://shop.test/p/contact',
  userAgent: 'Mozilla/5.0',
  ip: '203.0.113.7',
  ...overrides,
});

const skipCode = (d: ConversionDecision) => (d.action === 'skip' ? d.reason.code : 'SEND');

describe('CONV-7 stable event ids', () => {
  it('CONV-7 the same form submission twice gets the same event id (one event)', () => {
    const def = fbForm();
    const a = decideConversion(def, submission(), contact(), T);
    const b = decideConversion(def, submission({ at: iso(T + 5_000) }), contact(), T + 5_000);
    expect(a.action).toBe('send');
    expect(a.eventId).toBe(b.eventId);
  });

  it('CONV-7 different submissions of the same contact get different ids', () => {
    const def = fbForm();
    expect(eventIdFor(def, submission({ submissionId: 'sub-1' }))).not.toBe(eventIdFor(def, submission({ submissionId: 'sub-2' })));
  });

  it('CONV-7 a lifecycle event id is definition + contact + stage: a different stage is a different id', () => {
    const def = fbLifecycle();
    const mql = eventIdFor(def, stageChange({ stage: 'marketingqualifiedlead' }));
    expect(eventIdFor(def, stageChange({ stage: 'customer' }))).not.toBe(mql);
    expect(eventIdFor(def, stageChange({ contactId: 'contact-2' }))).not.toBe(mql);
    expect(eventIdFor(def, stageChange({ at: iso(T + DAY) }))).toBe(mql);
  });

  it('CONV-7 another definition gives another id; a replacement sharing the namespace gives the same (CONV-8)', () => {
    const legacy = fbLifecycle();
    const other = { ...fbLifecycle(), id: 'def-2' };
    const replacement = { ...fbLifecycle(), id: 'def-2', eventIdNamespace: 'def-1' };
    expect(eventIdFor(other, stageChange())).not.toBe(eventIdFor(legacy, stageChange()));
    expect(eventIdFor(replacement, stageChange())).toBe(eventIdFor(legacy, stageChange()));
  });

  it('CONV-7 ids are short, carry no personal data and cannot be confused across kinds', () => {
    const id = conversionEventId('def-1', stageChange());
    expect(id).toMatch(/^ls-[0-9a-f]{32}$/);
    expect(conversionEventId('def-1', submission())).toMatch(/^fs-[0-9a-f]{32}$/);
    expect(conversionEventId('def-1', stageChange({ contactId: 'a|b' }))).not.toBe(conversionEventId('def-1|a', stageChange({ contactId: 'b' })));
  });

  it('CONV-7 a skipped activity keeps the same event id it would have been sent under', () => {
    const def = fbForm();
    const sent = decideConversion(def, submission(), contact(), T);
    const skipped = decideConversion({ ...def, enabled: false }, submission(), contact(), T);
    expect(skipped.eventId).toBe(sent.eventId);
  });
});

describe('CONV-7 only activity after the definition was created', () => {
  it('CONV-7 activity before creation is skipped as BEFORE_DEFINITION', () => {
    const d = decideConversion(fbForm(), submission({ at: iso(Date.parse(CREATED) - 1) }), contact(), T);
    expect(skipCode(d)).toBe('BEFORE_DEFINITION');
  });

  it('CONV-7 activity at the creation instant is sent', () => {
    const d = decideConversion(fbForm(), submission({ at: CREATED }), contact(), Date.parse(CREATED));
    expect(d.action).toBe('send');
    if (d.action === 'send') expect(d.occurredAt).toBe(Date.parse(CREATED));
  });
});

describe('CONV-8 switched off', () => {
  it('CONV-8 a disabled definition skips everything as DISABLED', () => {
    const def = { ...fbForm(), enabled: false };
    expect(skipCode(decideConversion(def, submission(), contact(), T))).toBe('DISABLED');
  });
});

describe('CONV-2 trigger matching', () => {
  it('CONV-2 a stage that is not selected is skipped as STAGE_NOT_SELECTED', () => {
    expect(skipCode(decideConversion(fbLifecycle(), stageChange({ stage: 'opportunity' }), contact(), T))).toBe('STAGE_NOT_SELECTED');
  });

  it('CONV-2 stage names match case-insensitively', () => {
    expect(decideConversion(fbLifecycle(), stageChange({ stage: 'Customer' }), contact(), T).action).toBe('send');
  });

  it('CONV-2 another form is skipped as FORM_NOT_SELECTED', () => {
    expect(skipCode(decideConversion(fbForm(), submission({ formId: 'form-2' }), contact(), T))).toBe('FORM_NOT_SELECTED');
  });

  it('CONV-2 a form submission for a lifecycle definition is a TRIGGER_MISMATCH', () => {
    expect(skipCode(decideConversion(fbLifecycle(), submission(), contact(), T))).toBe('TRIGGER_MISMATCH');
    expect(skipCode(decideConversion(fbForm(), stageChange(), contact(), T))).toBe('TRIGGER_MISMATCH');
  });

  it('an unreadable activity time is skipped as INVALID_ACTIVITY, not thrown', () => {
    expect(skipCode(decideConversion(fbForm(), submission({ at: 'yesterday' }), contact(), T))).toBe('INVALID_ACTIVITY');
  });
});

describe('CONV-4/CONV-5 who is shared', () => {
  it('CONV-5 without the consent value on the contact nothing is sent (NO_CONSENT)', () => {
    const def = fbForm({ consent: { property: 'ads_consent', value: 'yes' } });
    expect(decideConversion(def, submission(), contact(), T).action).toBe('send');
    expect(skipCode(decideConversion(def, submission(), contact({ properties: { ads_consent: 'no' } }), T))).toBe('NO_CONSENT');
    expect(skipCode(decideConversion(def, submission(), contact({ properties: {} }), T))).toBe('NO_CONSENT');
    const { properties: _unused, ...withoutProperties } = contact();
    expect(skipCode(decideConversion(def, submission(), withoutProperties, T))).toBe('NO_CONSENT');
  });

  it('CONV-4 "interacted with your ads" skips contacts that did not (AUDIENCE_NOT_INTERACTED)', () => {
    const def = fbLifecycle({ audience: 'interacted_with_ads' });
    expect(decideConversion(def, stageChange(), contact(), T).action).toBe('send');
    expect(skipCode(decideConversion(def, stageChange(), contact({ interactedWithAds: false }), T))).toBe('AUDIENCE_NOT_INTERACTED');
  });

  it('CONV-4 "all contacts" shares contacts that never interacted with ads', () => {
    expect(decideConversion(fbLifecycle(), stageChange(), contact({ interactedWithAds: false }), T).action).toBe('send');
  });

  it('CONV-4 Facebook lifecycle events need a Facebook lead id (NO_FB_LEAD_ID), also with audience "all"', () => {
    const { facebookLeadId: _unused, ...noLead } = contact();
    expect(skipCode(decideConversion(fbLifecycle(), stageChange(), noLead, T))).toBe('NO_FB_LEAD_ID');
    expect(skipCode(decideConversion(fbLifecycle(), stageChange(), contact({ facebookLeadId: 'lead-42' }), T))).toBe('NO_FB_LEAD_ID');
    expect(skipCode(decideConversion(fbLifecycle(), stageChange(), contact({ facebookLeadId: '12345678901234567' }), T))).toBe('SEND');
  });

  it('CONV-4 Google and LinkedIn lifecycle events need no Facebook lead id', () => {
    const { facebookLeadId: _unused, ...noLead } = contact();
    const google = definition({ network: 'google', trigger: { kind: 'lifecycle_stage', stages: ['customer'] } });
    expect(decideConversion(google, stageChange({ stage: 'customer' }), noLead, T).action).toBe('send');
  });

  it('CONV-5 Facebook form events without page URL or user agent are skipped (MISSING_WEBSITE_CONTEXT)', () => {
    const d = decideConversion(fbForm(), submission({ pageUrl: '', userAgent: undefined }), contact(), T);
    expect(skipCode(d)).toBe('MISSING_WEBSITE_CONTEXT');
    if (d.action === 'skip') expect(d.reason.message).toContain('page URL and user agent');
    expect(decideConversion(googleForm(), submission({ pageUrl: '', userAgent: undefined }), contact(), T).action).toBe('send');
  });
});

describe('CONV-1 match keys', () => {
  const bare = (overrides: Partial<ContactSnapshot> = {}): ContactSnapshot => ({ id: 'contact-1', interactedWithAds: true, ...overrides });

  it('CONV-1 Google needs a gclid or a shared email/phone (NO_MATCH_KEYS)', () => {
    expect(skipCode(decideConversion(googleForm(), submission(), bare(), T))).toBe('NO_MATCH_KEYS');
    expect(decideConversion(googleForm(), submission(), bare({ gclid: 'Cj0KCQjw-abcdef' }), T).action).toBe('send');
    expect(decideConversion(googleForm(), submission(), bare({ phone: '+1 650 555 1212' }), T).action).toBe('send');
  });

  it('CONV-1 an email the admin stopped sharing does not count as a match key', () => {
    const def = googleForm({ sharedFields: { email: false, phone: false } });
    expect(skipCode(decideConversion(def, submission(), bare({ email: 'jane@example.com' }), T))).toBe('NO_MATCH_KEYS');
  });

  it('CONV-1 an unusable email does not count as a match key', () => {
    expect(skipCode(decideConversion(googleForm(), submission(), bare({ email: 'not an email' }), T))).toBe('NO_MATCH_KEYS');
  });

  it('CONV-1 LinkedIn needs a hashed email or the li_fat_id click id; a phone is not enough', () => {
    expect(skipCode(decideConversion(linkedInForm(), submission(), bare({ phone: '+1 650 555 1212' }), T))).toBe('NO_MATCH_KEYS');
    expect(decideConversion(linkedInForm(), submission(), bare({ liFatId: 'df3e5a4c-1' }), T).action).toBe('send');
    expect(decideConversion(linkedInForm(), submission(), bare({ email: 'jane@example.com' }), T).action).toBe('send');
  });

  it('CONV-1 Facebook form events match on the IP address unless it was removed', () => {
    expect(decideConversion(fbForm(), submission(), bare(), T).action).toBe('send');
    expect(skipCode(decideConversion(fbForm({ sharedFields: { ipAddress: false } }), submission(), bare(), T))).toBe('NO_MATCH_KEYS');
    expect(decideConversion(fbForm({ sharedFields: { ipAddress: false } }), submission({ fbp: 'fb.1.1596403881668.1116446470' }), bare(), T).action).toBe('send');
  });
});

describe('network time windows (issue 6: "outside a network\'s time window are not sent and are marked so")', () => {
  const limit = (network: 'facebook' | 'google' | 'linkedin') => NETWORK_WINDOW_MS[network] - SEND_MARGIN_MS;

  it('facebook §8.2: 7 days', () => {
    expect(NETWORK_WINDOW_MS.facebook).toBe(7 * DAY);
    expect(NETWORK_WINDOW_MS.google).toBe(90 * DAY);
    expect(NETWORK_WINDOW_MS.linkedin).toBe(90 * DAY);
  });

  for (const [network, def] of [
    ['facebook', () => fbForm()],
    ['google', () => googleForm()],
    ['linkedin', () => linkedInForm()],
  ] as const) {
    it(`${network}: an event exactly at the send limit is sent, one millisecond later it is OUTSIDE_NETWORK_WINDOW`, () => {
      expect(decideConversion(def(), submission(), contact(), T + limit(network)).action).toBe('send');
      const d = decideConversion(def(), submission(), contact(), T + limit(network) + 1);
      expect(skipCode(d)).toBe('OUTSIDE_NETWORK_WINDOW');
      if (d.action === 'skip') expect(d.reason.message).toContain(`${NETWORK_WINDOW_MS[network] / DAY} days`);
    });
  }

  it('facebook: an 8-day-old event is skipped while Google and LinkedIn still send it', () => {
    const now = T + 8 * DAY;
    expect(skipCode(decideConversion(fbForm(), submission(), contact(), now))).toBe('OUTSIDE_NETWORK_WINDOW');
    expect(decideConversion(googleForm(), submission(), contact(), now).action).toBe('send');
    expect(decideConversion(linkedInForm(), submission(), contact(), now).action).toBe('send');
  });

  it('eligibility is reported before the window: a stale event of a disabled definition says DISABLED', () => {
    expect(skipCode(decideConversion({ ...fbForm(), enabled: false }, submission(), contact(), T + 30 * DAY))).toBe('DISABLED');
  });
});
