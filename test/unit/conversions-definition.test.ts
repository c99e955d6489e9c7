import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SHARED_FIELDS,
  LIFECYCLE_EVENT_LIMITS,
  httpStatusOf,
  lifecycleEventsUsed,
  resolveSharedFields,
  toDefinition,
  validateDefinition,
  type ConversionEventDraft,
  type DefinitionContext,
} from '../../src/domain/conversions';

const context = (overrides: Partial<DefinitionContext> = {}): DefinitionContext => ({
  account: { leadSyncOn: true, businessId: 'bm_1' },
  knownFormIds: new Set(['form-1', 'form-2']),
  plan: { tier: 'professional', lifecycleEventsInUse: 0 },
  ...overrides,
});

const fbLifecycle = (overrides: Partial<ConversionEventDraft> = {}): ConversionEventDraft => ({
  network: 'facebook',
  adAccountId: 'act_1',
  trigger: { kind: 'lifecycle_stage', stages: ['marketingqualifiedlead', 'salesqualifiedlead'] },
  pixelId: '555',
  ...overrides,
});

const fbForm = (overrides: Partial<ConversionEventDraft> = {}): ConversionEventDraft => ({
  network: 'facebook',
  adAccountId: 'act_1',
  trigger: { kind: 'form_submission', formId: 'form-1' },
  pixelId: '555',
  ...overrides,
});

const googleForm = (overrides: Partial<ConversionEventDraft> = {}): ConversionEventDraft => ({
  network: 'google',
  adAccountId: '123-456-7890',
  trigger: { kind: 'form_submission', formId: 'form-1' },
  conversionActionId: '555',
  ...overrides,
});

const linkedInLifecycle = (overrides: Partial<ConversionEventDraft> = {}): ConversionEventDraft => ({
  network: 'linkedin',
  adAccountId: '507404993',
  trigger: { kind: 'lifecycle_stage', stages: ['customer'] },
  conversionRuleId: '104012',
  ...overrides,
});

const codes = (draft: ConversionEventDraft, ctx = context()) => validateDefinition(draft, ctx).map((p) => p.code);

describe('CONV-1/CONV-2 valid definitions', () => {
  it('CONV-1 a valid definition for each network has no problems', () => {
    expect(codes(fbLifecycle())).toEqual([]);
    expect(codes(fbForm())).toEqual([]);
    expect(codes(googleForm())).toEqual([]);
    expect(codes(linkedInLifecycle())).toEqual([]);
  });

  it('CONV-1 an unknown network is refused', () => {
    expect(codes(fbForm({ network: 'tiktok' }))).toEqual(['NETWORK_UNSUPPORTED']);
  });

  it('CONV-1 the ad account is required and must be connected', () => {
    expect(codes(fbForm({ adAccountId: ' ' }))).toContain('AD_ACCOUNT_REQUIRED');
    const { account: _unused, ...noAccount } = context();
    expect(codes(fbForm(), noAccount)).toEqual(['AD_ACCOUNT_NOT_CONNECTED']);
  });
});

describe('CONV-2 triggers', () => {
  it('CONV-2 a lifecycle trigger needs at least one stage', () => {
    expect(codes(fbLifecycle({ trigger: { kind: 'lifecycle_stage', stages: [] } }))).toEqual(['STAGES_REQUIRED']);
  });

  it('CONV-2 the stage "other" is not supported as a trigger', () => {
    const problems = validateDefinition(fbLifecycle({ trigger: { kind: 'lifecycle_stage', stages: ['lead', 'other'] } }), context());
    expect(problems.map((p) => p.code)).toEqual(['STAGE_NOT_SUPPORTED']);
    expect(problems[0]?.field).toBe('trigger.stages');
    expect(problems[0]?.httpStatus).toBe(422);
  });

  it('CONV-2 an unknown stage is refused; stage names are case-insensitive', () => {
    expect(codes(fbLifecycle({ trigger: { kind: 'lifecycle_stage', stages: ['prospect'] } }))).toEqual(['STAGE_UNKNOWN']);
    expect(codes(fbLifecycle({ trigger: { kind: 'lifecycle_stage', stages: ['Customer'] } }))).toEqual([]);
  });

  it('CONV-2 a form trigger needs a form id', () => {
    expect(codes(fbForm({ trigger: { kind: 'form_submission', formId: '' } }))).toEqual(['FORM_REQUIRED']);
  });

  it('CONV-2 a form that is not a form of this system is not eligible', () => {
    expect(codes(fbForm({ trigger: { kind: 'form_submission', formId: 'hubspot-external-9' } }))).toEqual(['FORM_NOT_ELIGIBLE']);
  });

  it('CONV-2 an unknown trigger kind is refused', () => {
    const draft = { ...fbForm(), trigger: { kind: 'page_view', formId: 'x' } } as unknown as ConversionEventDraft;
    expect(codes(draft)).toEqual(['TRIGGER_INVALID']);
  });
});

describe('CONV-3 preconditions', () => {
  it('CONV-3 Facebook lifecycle events need lead sync on (409)', () => {
    const problems = validateDefinition(fbLifecycle(), context({ account: { leadSyncOn: false, businessId: 'bm_1' } }));
    expect(problems.map((p) => p.code)).toEqual(['LEAD_SYNC_OFF']);
    expect(httpStatusOf(problems)).toBe(409);
  });

  it('CONV-3 Facebook form events do not need lead sync', () => {
    expect(codes(fbForm(), context({ account: { leadSyncOn: false, businessId: 'bm_1' } }))).toEqual([]);
  });

  it('CONV-3 Facebook needs a pixel; the account pixel counts', () => {
    const { pixelId: _unused, ...noPixel } = fbForm();
    expect(codes(noPixel)).toEqual(['PIXEL_REQUIRED']);
    expect(codes(noPixel, context({ account: { leadSyncOn: true, businessId: 'bm_1', pixelId: '777' } }))).toEqual([]);
  });

  it('CONV-3 the Facebook ad account must belong to a Business Manager', () => {
    expect(codes(fbForm(), context({ account: { leadSyncOn: true, businessId: null } }))).toEqual(['NO_BUSINESS_MANAGER']);
    expect(codes(fbForm(), context({ account: { leadSyncOn: true } }))).toEqual(['NO_BUSINESS_MANAGER']);
  });

  it('CONV-3 Google and LinkedIn have no lead-sync or Business Manager precondition', () => {
    const bare = context({ account: { leadSyncOn: false, businessId: null } });
    expect(codes(googleForm(), bare)).toEqual([]);
    expect(codes(linkedInLifecycle(), bare)).toEqual([]);
  });

  it('CONV-1 Google needs a conversion action of the same customer', () => {
    const { conversionActionId: _unused, ...none } = googleForm();
    expect(codes(none)).toEqual(['CONVERSION_ACTION_REQUIRED']);
    expect(codes(googleForm({ conversionActionId: 'customers/1234567890/conversionActions/9' }))).toEqual([]);
    expect(codes(googleForm({ conversionActionId: 'customers/999/conversionActions/9' }))).toEqual(['CONVERSION_ACTION_INVALID']);
    expect(codes(googleForm({ conversionActionId: 'purchase' }))).toEqual(['CONVERSION_ACTION_INVALID']);
  });

  it('CONV-1 LinkedIn needs a conversion rule id or URN', () => {
    const { conversionRuleId: _unused, ...none } = linkedInLifecycle();
    expect(codes(none)).toEqual(['CONVERSION_RULE_REQUIRED']);
    expect(codes(linkedInLifecycle({ conversionRuleId: 'urn:lla:llaPartnerConversion:104012' }))).toEqual([]);
    expect(codes(linkedInLifecycle({ conversionRuleId: 'urn:li:sponsoredAccount:1' }))).toEqual(['CONVERSION_RULE_INVALID']);
  });
});

describe('CONV-4/CONV-5 options', () => {
  it('CONV-4 audience is "all" or "interacted_with_ads"', () => {
    expect(codes(fbLifecycle({ audience: 'interacted_with_ads' }))).toEqual([]);
    expect(codes(fbLifecycle({ audience: 'everyone' }))).toEqual(['AUDIENCE_INVALID']);
  });

  it('CONV-4 the audience option applies to lifecycle events only', () => {
    expect(codes(fbForm({ audience: 'interacted_with_ads' }))).toEqual(['OPTION_NOT_FOR_TRIGGER']);
  });

  it('CONV-5 event name: a standard event or a custom name, not blank', () => {
    expect(codes(fbForm({ eventName: 'CompleteRegistration' }))).toEqual([]);
    expect(codes(fbForm({ eventName: 'Webinar signup' }))).toEqual([]);
    expect(codes(fbForm({ eventName: '  ' }))).toEqual(['EVENT_NAME_INVALID']);
    expect(codes(fbForm({ eventName: 'x'.repeat(101) }))).toEqual(['EVENT_NAME_INVALID']);
  });

  it('CONV-5 value and currency come together', () => {
    expect(codes(fbForm({ value: 100, currency: 'usd' }))).toEqual([]);
    expect(codes(fbForm({ value: 100 }))).toEqual(['VALUE_WITHOUT_CURRENCY']);
    expect(codes(fbForm({ currency: 'USD' }))).toEqual(['CURRENCY_WITHOUT_VALUE']);
  });

  it('CONV-5 currency must be ISO 4217 and the value a sane non-negative number', () => {
    expect(codes(fbForm({ value: 100, currency: 'XYZ' }))).toEqual(['CURRENCY_INVALID']);
    expect(codes(fbForm({ value: -1, currency: 'EUR' }))).toEqual(['VALUE_INVALID']);
    expect(codes(fbForm({ value: Number.NaN, currency: 'EUR' }))).toEqual(['VALUE_INVALID']);
    expect(codes(fbForm({ value: 1e13, currency: 'EUR' }))).toEqual(['VALUE_INVALID']);
  });

  it('CONV-5 predictive lead score: Facebook form events only', () => {
    expect(codes(fbForm({ predictiveLeadScore: true }))).toEqual([]);
    expect(codes(googleForm({ predictiveLeadScore: true }))).toEqual(['OPTION_NOT_FOR_NETWORK']);
    expect(codes(fbLifecycle({ predictiveLeadScore: true }))).toEqual(['OPTION_NOT_FOR_TRIGGER']);
  });

  it('CONV-5 consent needs both property and value', () => {
    expect(codes(fbForm({ consent: { property: 'ads_consent', value: 'yes' } }))).toEqual([]);
    expect(codes(fbForm({ consent: { property: 'ads_consent', value: '' } }))).toEqual(['CONSENT_INCOMPLETE']);
    expect(codes(fbForm({ consent: { property: ' ', value: 'yes' } }))).toEqual(['CONSENT_INCOMPLETE']);
  });

  it('CONV-5 user agent, action source and event source URL cannot be removed', () => {
    for (const field of ['userAgent', 'actionSource', 'eventSourceUrl']) {
      const problems = validateDefinition(fbForm({ sharedFields: { [field]: false } }), context());
      expect(problems.map((p) => p.code)).toEqual(['MANDATORY_FIELD_REMOVED']);
      expect(problems[0]?.field).toBe(`sharedFields.${field}`);
    }
  });

  it('CONV-5 IP address and email can be removed; unknown shared fields are refused', () => {
    expect(codes(fbForm({ sharedFields: { ipAddress: false, email: false } }))).toEqual([]);
    expect(codes(fbForm({ sharedFields: { shoeSize: true } }))).toEqual(['SHARED_FIELD_UNKNOWN']);
  });

  it('CONV-5 several problems are reported together', () => {
    expect(codes(fbForm({ value: 5, sharedFields: { userAgent: false }, trigger: { kind: 'form_submission', formId: 'nope' } }))).toEqual([
      'FORM_NOT_ELIGIBLE',
      'VALUE_WITHOUT_CURRENCY',
      'MANDATORY_FIELD_REMOVED',
    ]);
  });
});

describe('CONV-6 plan limits', () => {
  it('CONV-6 professional 50 and enterprise 100 lifecycle events', () => {
    expect(LIFECYCLE_EVENT_LIMITS).toEqual({ professional: 50, enterprise: 100 });
  });

  it('CONV-6 each selected stage counts: 48 in use + 2 stages fits professional, 49 + 2 does not', () => {
    expect(codes(fbLifecycle(), context({ plan: { tier: 'professional', lifecycleEventsInUse: 48 } }))).toEqual([]);
    const problems = validateDefinition(fbLifecycle(), context({ plan: { tier: 'professional', lifecycleEventsInUse: 49 } }));
    expect(problems.map((p) => p.code)).toEqual(['PLAN_LIMIT_REACHED']);
    expect(problems[0]?.httpStatus).toBe(403);
    expect(problems[0]?.message).toContain('50');
  });

  it('CONV-6 enterprise allows 100', () => {
    expect(codes(fbLifecycle(), context({ plan: { tier: 'enterprise', lifecycleEventsInUse: 98 } }))).toEqual([]);
    expect(codes(fbLifecycle(), context({ plan: { tier: 'enterprise', lifecycleEventsInUse: 99 } }))).toEqual(['PLAN_LIMIT_REACHED']);
  });

  it('CONV-6 the limit can come from config; duplicate stages count once; forms never count', () => {
    const ctx = context({ plan: { tier: 'professional', lifecycleEventsInUse: 1, limit: 2 } });
    expect(codes(fbLifecycle({ trigger: { kind: 'lifecycle_stage', stages: ['lead', 'LEAD'] } }), ctx)).toEqual([]);
    expect(codes(fbLifecycle(), ctx)).toEqual(['PLAN_LIMIT_REACHED']);
    expect(codes(fbForm(), context({ plan: { tier: 'professional', lifecycleEventsInUse: 50 } }))).toEqual([]);
  });

  it('CONV-6 lifecycleEventsUsed counts selected stages of lifecycle definitions', () => {
    expect(
      lifecycleEventsUsed([
        { trigger: { kind: 'lifecycle_stage', stages: ['lead', 'customer'] } },
        { trigger: { kind: 'form_submission', formId: 'form-1' } },
        { trigger: { kind: 'lifecycle_stage', stages: ['opportunity'] } },
      ]),
    ).toBe(3);
  });

  it('CONV-6 httpStatusOf: a malformed request is 422 before an unready account (409) before the plan (403)', () => {
    const ctx = context({ account: { leadSyncOn: false, businessId: 'bm' }, plan: { tier: 'professional', lifecycleEventsInUse: 50 } });
    expect(httpStatusOf(validateDefinition(fbLifecycle(), ctx))).toBe(409);
    expect(httpStatusOf(validateDefinition(fbLifecycle({ value: 1 }), ctx))).toBe(422);
    expect(httpStatusOf(validateDefinition(fbLifecycle(), context({ plan: { tier: 'professional', lifecycleEventsInUse: 50 } })))).toBe(403);
  });
});

describe('toDefinition', () => {
  const meta = { id: 'def-1', createdAt: '2026-03-01T00:00:00.000Z' };

  it('CONV-5 defaults: audience all, IP and email shared, mandatory fields on, predictive score off', () => {
    const def = toDefinition(fbLifecycle(), meta);
    expect(def).toMatchObject({ id: 'def-1', network: 'facebook', audience: 'all', enabled: true, predictiveLeadScore: false, pixelId: '555' });
    expect(def.sharedFields).toEqual(DEFAULT_SHARED_FIELDS);
    expect(def.sharedFields).toMatchObject({ email: true, ipAddress: true, userAgent: true, actionSource: true, eventSourceUrl: true });
  });

  it('CONV-5 removed IP stays removed; stages deduplicated and lowercased; currency upper-cased', () => {
    const def = toDefinition(
      fbLifecycle({ sharedFields: { ipAddress: false }, trigger: { kind: 'lifecycle_stage', stages: ['Lead', 'lead'] }, value: 10, currency: 'eur' }),
      meta,
    );
    expect(def.sharedFields.ipAddress).toBe(false);
    expect(def.trigger).toEqual({ kind: 'lifecycle_stage', stages: ['lead'] });
    expect(def).toMatchObject({ value: 10, currency: 'EUR' });
  });

  it('CONV-1 destinations are stored in the form the network API wants', () => {
    expect(toDefinition(googleForm(), meta).conversionAction).toBe('customers/1234567890/conversionActions/555');
    expect(toDefinition(linkedInLifecycle(), meta).conversionRule).toBe('urn:lla:llaPartnerConversion:104012');
    const { pixelId: _unused, ...noPixel } = fbForm();
    expect(toDefinition(noPixel, { ...meta, accountPixelId: '777' }).pixelId).toBe('777');
  });

  it('CONV-8 a replacement keeps the namespace of the event it replaces', () => {
    expect(toDefinition(fbLifecycle(), { ...meta, eventIdNamespace: 'legacy-7' }).eventIdNamespace).toBe('legacy-7');
  });

  it('CONV-5 resolveSharedFields ignores attempts to switch mandatory fields off', () => {
    expect(resolveSharedFields({ userAgent: false }).userAgent).toBe(true);
  });
});
