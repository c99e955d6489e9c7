import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildConversionPayload,
  buildFacebookEvent,
  buildGoogleConversion,
  buildLinkedInEvent,
  decideConversion,
  facebookEventName,
  formatGoogleDateTime,
  formatLinkedInAmount,
  toDefinition,
  type ContactSnapshot,
  type ConversionEventDefinition,
  type ConversionEventDraft,
  type CrmActivity,
  type FormSubmissionActivity,
  type LifecycleActivity,
  type PayloadInput,
} from '../../src/domain/conversions';
import type { FacebookServerEvent as FacebookClientEvent } from '../../src/networks/facebook/conversions';
import { validateEvents } from '../../src/sandboxes/facebook/conversions';
import { hashIdentifier } from '../../src/sandboxes/google/conversions';
import { parseDateTime } from '../../src/sandboxes/google/time';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const CREATED = '2026-03-01T00:00:00.000Z';
const AT = '2026-03-14T09:30:00.000Z';
const AT_MS = Date.parse(AT);

function definition(draft: Partial<ConversionEventDraft> & Pick<ConversionEventDraft, 'network' | 'trigger'>): ConversionEventDefinition {
  return toDefinition(
    {
      adAccountId: draft.network === 'google' ? '123-456-7890' : draft.network === 'facebook' ? 'act_1' : '507404993',
      pixelId: '555',
      conversionActionId: '77',
      conversionRuleId: '104012',
      ...draft,
    },
    { id: 'def-1', createdAt: CREATED },
  );
}

const contact = (overrides: Partial<ContactSnapshot> = {}): ContactSnapshot => ({
  id: 'contact-1',
  email: '  John.Doe@Example.COM ',
  phone: '(650) 555-1212',
  firstName: 'John',
  lastName: "O'Doe",
  city: 'New York',
  state: 'New York',
  zip: '10001-1234',
  country: 'US',
  facebookLeadId: '444444444444444',
  gclid: 'Cj0KCQjw-abcdefgh',
  liFatId: 'df3e5a4c-1111-2222',
  interactedWithAds: true,
  predictiveLeadScore: 87,
  ...overrides,
});

const submission: FormSubmissionActivity = {
  kind: 'form_submission',
  contactId: 'contact-1',
  formId: 'form-1',
  submissionId: 'sub-1',
  at: AT,
  pageUrl: 'https://shop.test/p/contact',
  userAgent: 'Mozilla/5.0 (X11)',
  ip: '203.0.113.7',
  fbp: 'fb.1.1596403881668.1116446470',
};

const stageChange: LifecycleActivity = { kind: 'lifecycle_stage', contactId: 'contact-1', stage: 'marketingqualifiedlead', at: AT };

function input(def: ConversionEventDefinition, activity: CrmActivity, who = contact()): PayloadInput {
  const decision = decideConversion(def, activity, who, AT_MS + 1000, { defaultCallingCode: '1' });
  if (decision.action !== 'send') throw new Error(`expected send, got ${decision.reason.code}`);
  return { definition: def, activity, contact: who, eventId: decision.eventId, options: { defaultCallingCode: '1' } };
}

const fbFormDef = (extra: Partial<ConversionEventDraft> = {}) =>
  definition({ network: 'facebook', trigger: { kind: 'form_submission', formId: 'form-1' }, ...extra });
const fbLifecycleDef = (extra: Partial<ConversionEventDraft> = {}) =>
  definition({ network: 'facebook', trigger: { kind: 'lifecycle_stage', stages: ['marketingqualifiedlead'] }, ...extra });

describe('CONV-9 Facebook form submission → website server event (facebook §8.1–§8.4)', () => {
  const all = { email: true, phone: true, firstName: true, lastName: true, city: true, state: true, zip: true, country: true };

  it('CONV-9 shape: event_name, unix event_time, stable event_id, website, event_source_url, hashed user_data, clear UA and IP', () => {
    const def = fbFormDef({ sharedFields: all, value: 100, currency: 'usd' });
    const i = input(def, submission);
    expect(buildFacebookEvent(i)).toEqual({
      event_name: 'Lead',
      event_time: AT_MS / 1000,
      event_id: i.eventId,
      action_source: 'website',
      event_source_url: 'https://shop.test/p/contact',
      user_data: {
        em: [sha('john.doe@example.com')],
        ph: [sha('16505551212')],
        fn: [sha('john')],
        ln: [sha('odoe')],
        ct: [sha('newyork')],
        st: [sha('ny')],
        zp: [sha('10001')],
        country: [sha('us')],
        client_user_agent: 'Mozilla/5.0 (X11)',
        client_ip_address: '203.0.113.7',
        fbp: 'fb.1.1596403881668.1116446470',
      },
      custom_data: { value: 100, currency: 'USD' },
    });
  });

  it('CONV-5 IP address removed → no client_ip_address; user agent and event source URL stay', () => {
    const event = buildFacebookEvent(input(fbFormDef({ sharedFields: { ipAddress: false } }), submission));
    expect(event.user_data).not.toHaveProperty('client_ip_address');
    expect(event.user_data.client_user_agent).toBe('Mozilla/5.0 (X11)');
    expect(event.event_source_url).toBe('https://shop.test/p/contact');
  });

  it('CONV-5 email turned off by the admin → no em', () => {
    const event = buildFacebookEvent(input(fbFormDef({ sharedFields: { email: false } }), submission));
    expect(event.user_data).not.toHaveProperty('em');
    expect(event.user_data.ph).toEqual([sha('16505551212')]);
  });

  it('CONV-5 fields the admin did not select are not sent (defaults: email and phone only)', () => {
    const event = buildFacebookEvent(input(fbFormDef(), submission));
    expect(Object.keys(event.user_data).sort()).toEqual(['client_ip_address', 'client_user_agent', 'em', 'fbp', 'ph']);
    expect(event).not.toHaveProperty('custom_data');
  });

  it('CONV-5 a chosen event name and the predictive lead score are sent', () => {
    const event = buildFacebookEvent(input(fbFormDef({ eventName: 'CompleteRegistration', predictiveLeadScore: true }), submission));
    expect(event.event_name).toBe('CompleteRegistration');
    expect(event.custom_data).toEqual({ predictive_lead_score: 87 });
  });

  it('CONV-9 no personal data travels in clear: every hashed key is 64 lowercase hex', () => {
    const event = buildFacebookEvent(input(fbFormDef({ sharedFields: all }), submission));
    const text = JSON.stringify(event);
    for (const plain of ['John', 'john.doe', 'example.com', '555-1212', 'New York', '10001']) expect(text).not.toContain(plain);
    for (const key of ['em', 'ph', 'fn', 'ln', 'ct', 'st', 'zp', 'country'] as const) {
      expect(event.user_data[key]?.[0]).toMatch(/^[a-f0-9]{64}$/);
    }
  });

  it('CONV-9 already hashed contact values are not hashed twice', () => {
    const digest = sha('john.doe@example.com');
    const event = buildFacebookEvent(input(fbFormDef(), submission, contact({ email: digest })));
    expect(event.user_data.em).toEqual([digest]);
  });

  it('facebook §8.5: the Facebook sandbox validation accepts the event, and the client takes it as is', () => {
    const event = buildFacebookEvent(input(fbFormDef({ sharedFields: all, value: 5, currency: 'EUR' }), submission));
    const forClient: FacebookClientEvent[] = [event];
    expect(() => validateEvents(forClient, AT_MS / 1000 + 60, () => false)).not.toThrow();
  });
});

describe('CONV-9 Facebook lifecycle change → CRM event (facebook §8.6)', () => {
  it('CONV-9 shape: stage label as event_name, system_generated, lead_id, event_source crm, lead_event_source', () => {
    const i = input(fbLifecycleDef(), stageChange);
    expect(buildFacebookEvent(i)).toEqual({
      event_name: 'Marketing Qualified Lead',
      event_time: AT_MS / 1000,
      event_id: i.eventId,
      action_source: 'system_generated',
      user_data: { lead_id: '444444444444444', em: [sha('john.doe@example.com')], ph: [sha('16505551212')] },
      custom_data: { lead_event_source: 'adtrack', event_source: 'crm' },
    });
  });

  it('CONV-9 CRM events carry no website fields even when the activity knows them', () => {
    const event = buildFacebookEvent(input(fbLifecycleDef(), stageChange));
    expect(event).not.toHaveProperty('event_source_url');
    expect(event.user_data).not.toHaveProperty('client_user_agent');
    expect(event.user_data).not.toHaveProperty('client_ip_address');
  });

  it('CONV-9 the CRM name, an admin event name and a value are honoured', () => {
    const def = fbLifecycleDef({ eventName: 'MQL', value: 50, currency: 'EUR' });
    const event = buildFacebookEvent({ ...input(def, stageChange), options: { crmName: 'Acme CRM' } });
    expect(event.event_name).toBe('MQL');
    expect(event.custom_data).toEqual({ value: 50, currency: 'EUR', lead_event_source: 'Acme CRM', event_source: 'crm' });
  });

  it('CONV-9 facebookEventName: every stage label, and "Lead" for forms', () => {
    expect(facebookEventName(fbLifecycleDef(), { ...stageChange, stage: 'salesqualifiedlead' })).toBe('Sales Qualified Lead');
    expect(facebookEventName(fbFormDef(), submission)).toBe('Lead');
  });

  it('facebook §8.6: the Facebook sandbox accepts the CRM event for a known lead', () => {
    const event = buildFacebookEvent(input(fbLifecycleDef(), stageChange));
    expect(() => validateEvents([event], AT_MS / 1000 + 60, (id) => id === '444444444444444')).not.toThrow();
  });
});

describe('CONV-1 Google click conversion (google §4.2, §4.3)', () => {
  const googleDef = (extra: Partial<ConversionEventDraft> = {}) =>
    definition({ network: 'google', trigger: { kind: 'form_submission', formId: 'form-1' }, ...extra });

  it('CONV-1 shape: conversionAction resource, date-time with offset, orderId = event id, gclid and hashed identifiers', () => {
    const i = input(googleDef({ value: 120.5, currency: 'USD' }), submission);
    expect(buildGoogleConversion(i)).toEqual({
      conversionAction: 'customers/1234567890/conversionActions/77',
      conversionDateTime: '2026-03-14 09:30:00+00:00',
      orderId: i.eventId,
      gclid: 'Cj0KCQjw-abcdefgh',
      userIdentifiers: [
        { hashedEmail: sha('john.doe@example.com'), userIdentifierSource: 'FIRST_PARTY' },
        { hashedPhoneNumber: sha('+16505551212'), userIdentifierSource: 'FIRST_PARTY' },
      ],
      conversionValue: 120.5,
      currencyCode: 'USD',
    });
  });

  it('CONV-9 Google hashes gmail addresses without dots and phones in E.164, as the sandbox matches them', () => {
    const who = contact({ email: 'Jane.Doe@Gmail.com', phone: '+1 415 555 2671' });
    const conversion = buildGoogleConversion(input(googleDef(), submission, who));
    expect(conversion.userIdentifiers).toEqual([
      { hashedEmail: hashIdentifier('EMAIL', 'Jane.Doe@Gmail.com'), userIdentifierSource: 'FIRST_PARTY' },
      { hashedPhoneNumber: hashIdentifier('PHONE_NUMBER', '+1 415 555 2671'), userIdentifierSource: 'FIRST_PARTY' },
    ]);
  });

  it('CONV-1 without a gclid only the hashed identifiers are sent (enhanced conversions for leads)', () => {
    const { gclid: _unused, ...noClick } = contact();
    const conversion = buildGoogleConversion(input(googleDef(), submission, noClick));
    expect(conversion).not.toHaveProperty('gclid');
    expect(conversion.userIdentifiers).toHaveLength(2);
  });

  it('CONV-5 with email and phone switched off only the gclid is sent', () => {
    const conversion = buildGoogleConversion(input(googleDef({ sharedFields: { email: false, phone: false } }), submission));
    expect(conversion).not.toHaveProperty('userIdentifiers');
    expect(conversion.gclid).toBe('Cj0KCQjw-abcdefgh');
  });

  it('CONV-5 a checked consent property is declared as adUserData GRANTED', () => {
    const def = googleDef({ consent: { property: 'ads_consent', value: 'yes' } });
    const conversion = buildGoogleConversion(input(def, submission, contact({ properties: { ads_consent: 'yes' } })));
    expect(conversion.consent).toEqual({ adUserData: 'GRANTED' });
    expect(buildGoogleConversion(input(googleDef(), submission))).not.toHaveProperty('consent');
  });

  it('google §4.2: "yyyy-mm-dd hh:mm:ss+|-hh:mm", parsed back to the same instant by the sandbox', () => {
    expect(formatGoogleDateTime(Date.parse('2024-05-01T02:03:04.999Z'))).toBe('2024-05-01 02:03:04+00:00');
    expect(parseDateTime(formatGoogleDateTime(AT_MS), 'America/Los_Angeles')).toBe(AT_MS);
  });

  it('CONV-1 a definition without a conversion action cannot build a payload', () => {
    const { conversionAction: _unused, ...broken } = googleDef();
    expect(() => buildGoogleConversion({ ...input(googleDef(), submission), definition: broken })).toThrow(/conversion action/);
  });
});

describe('CONV-1 LinkedIn conversion event (linkedin §4.2)', () => {
  const linkedInDef = (extra: Partial<ConversionEventDraft> = {}) =>
    definition({ network: 'linkedin', trigger: { kind: 'lifecycle_stage', stages: ['marketingqualifiedlead'] }, ...extra });

  it('CONV-1 shape: rule URN, epoch ms, amount string, eventId, SHA256_EMAIL and li_fat_id', () => {
    const i = input(linkedInDef({ value: 1500, currency: 'USD' }), stageChange);
    expect(buildLinkedInEvent(i)).toEqual({
      conversion: 'urn:lla:llaPartnerConversion:104012',
      conversionHappenedAt: AT_MS,
      conversionValue: { currencyCode: 'USD', amount: '1500' },
      eventId: i.eventId,
      user: {
        userIds: [
          { idType: 'SHA256_EMAIL', idValue: sha('john.doe@example.com') },
          { idType: 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID', idValue: 'df3e5a4c-1111-2222' },
        ],
      },
    });
  });

  it('CONV-5 userInfo (plain names) only when both names are shared', () => {
    const shared = buildLinkedInEvent(input(linkedInDef({ sharedFields: { firstName: true, lastName: true, country: true } }), stageChange));
    expect(shared.user.userInfo).toEqual({ firstName: 'John', lastName: "O'Doe", countryCode: 'US' });
    const half = buildLinkedInEvent(input(linkedInDef({ sharedFields: { firstName: true } }), stageChange));
    expect(half.user).not.toHaveProperty('userInfo');
  });

  it('CONV-5 email switched off → only the click id', () => {
    const event = buildLinkedInEvent(input(linkedInDef({ sharedFields: { email: false } }), stageChange));
    expect(event.user.userIds).toEqual([{ idType: 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID', idValue: 'df3e5a4c-1111-2222' }]);
  });

  it('linkedin §4.2: amounts are decimal strings without float noise', () => {
    expect(formatLinkedInAmount(0.1 + 0.2)).toBe('0.3');
    expect(formatLinkedInAmount(99.95)).toBe('99.95');
  });
});

describe('buildConversionPayload', () => {
  it('CONV-1 dispatches on the definition network', () => {
    expect(buildConversionPayload(input(fbFormDef(), submission)).network).toBe('facebook');
    const google = definition({ network: 'google', trigger: { kind: 'form_submission', formId: 'form-1' } });
    expect(buildConversionPayload(input(google, submission)).network).toBe('google');
    const linkedIn = definition({ network: 'linkedin', trigger: { kind: 'form_submission', formId: 'form-1' } });
    const payload = buildConversionPayload(input(linkedIn, submission));
    expect(payload.network === 'linkedin' && payload.item.conversion).toBe('urn:lla:llaPartnerConversion:104012');
  });
});

describe('issue15-7 CONV-9 no personal data in the page URL sent to Facebook', () => {
  it('drops parameters that name or carry personal data and the fragment; keeps campaign parameters and ids', () => {
    const pageUrl = 'https://shop.test/thanks?email=jane%40example.com&utm_source=fb&Phone=%2B1%20650%20555%201212&x=jane@example.com&first_name=Jane&id=1234567890&fbclid=IwAR1#access_token=abc';
    const event = buildFacebookEvent(input(fbFormDef(), { ...submission, pageUrl }));
    expect(event.event_source_url).toBe('https://shop.test/thanks?utm_source=fb&id=1234567890&fbclid=IwAR1');
    expect(JSON.stringify(event)).not.toMatch(/jane|example\.com|650|access_token/i);
  });

  it('an unreadable URL keeps only what comes before its query', () => {
    const event = buildFacebookEvent(input(fbFormDef(), { ...submission, pageUrl: 'not a url?email=jane@example.com' }));
    expect(event.event_source_url).toBe('not a url');
  });
});
