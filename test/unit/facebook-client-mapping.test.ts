import { describe, expect, it } from 'vitest';
import { creativeFormat, graphErrorInfo, hashUserData, landingUrlOf, normaliseStatus, retryAfterMsFromHeaders, sha256Normalised } from '../../src/networks/facebook';

const headers = (values: Record<string, string>) => (name: string) => values[name.toLowerCase()];
const envelope = (error: Record<string, unknown>) => ({ error: { message: 'm', type: 'OAuthException', fbtrace_id: 'T1', ...error } });

describe('§3.1 creative format and landing URL', () => {
  const link = { link: 'https://example.com/a', call_to_action: { type: 'LEARN_MORE', value: { link: 'https://example.com/a' } } };
  it.each([
    ['link', { id: '1', object_story_spec: { link_data: link } }, 'https://example.com/a'],
    ['lead', { id: '1', object_story_spec: { link_data: { link: 'http://fb.me/', call_to_action: { type: 'SIGN_UP', value: { lead_gen_form_id: '9' } } } } }, null],
    ['messenger', { id: '1', object_story_spec: { link_data: { link: 'https://fb.com/messenger_doc/', call_to_action: { type: 'MESSAGE_PAGE', value: { app_destination: 'MESSENGER' } } } } }, null],
    ['carousel', { id: '1', object_story_spec: { link_data: { link: 'https://example.com/more', child_attachments: [{ link: 'https://example.com/c1' }, { link: 'https://example.com/c2' }] } } }, 'https://example.com/c1'],
    [
      'carousel_pac',
      { id: '1', object_story_spec: { page_id: '1' }, asset_feed_spec: { ad_formats: ['CAROUSEL'], link_urls: [{ website_url: 'https://example.com/fb' }], asset_customization_rules: [{ priority: 1 }] } },
      'https://example.com/fb',
    ],
    ['video', { id: '1', object_story_spec: { video_data: { call_to_action: { type: 'LEARN_MORE', value: { link: 'https://example.com/v' } } } } }, 'https://example.com/v'],
    ['post', { id: '1', object_story_id: '1_2' }, null],
    ['other', { id: '1', object_story_spec: { page_id: '1' }, asset_feed_spec: { ad_formats: ['SINGLE_IMAGE'], link_urls: [{ website_url: 'https://example.com/d' }] } }, 'https://example.com/d'],
  ])('%s', (format, creative, landing) => {
    expect(creativeFormat(creative)).toBe(format);
    expect(landingUrlOf(creative)).toBe(landing);
  });
});

describe('§2.4 status normalisation', () => {
  it.each([
    ['ACTIVE', 'active'],
    ['PENDING_REVIEW', 'pending_review'],
    ['IN_PROCESS', 'pending_review'],
    ['PREAPPROVED', 'pending_review'],
    ['CAMPAIGN_PAUSED', 'paused'],
    ['ADSET_PAUSED', 'paused'],
    ['DISAPPROVED', 'disapproved'],
    ['ARCHIVED', 'archived'],
    ['DELETED', 'deleted'],
    ['WITH_ISSUES', 'other'],
    ['PENDING_BILLING_INFO', 'other'],
  ])('%s → %s', (raw, normalised) => expect(normaliseStatus(raw)).toBe(normalised));
});

describe('§9 error mapping', () => {
  it.each([
    [{ code: 190, error_subcode: 463 }, 'auth'],
    [{ code: 102 }, 'auth'],
    [{ code: 4, error_subcode: 1504022 }, 'rate_limited'],
    [{ code: 17, error_subcode: 2446079 }, 'rate_limited'],
    [{ code: 32 }, 'rate_limited'],
    [{ code: 613, error_subcode: 1487742 }, 'rate_limited'],
    [{ code: 80000 }, 'rate_limited'],
    [{ code: 80014 }, 'rate_limited'],
    [{ code: 1 }, 'transient'],
    [{ code: 1, error_subcode: 99 }, 'invalid'],
    [{ code: 2, is_transient: true }, 'transient'],
    [{ code: 100 }, 'invalid'],
    [{ code: 100, error_subcode: 33 }, 'not_found'],
    [{ code: 10 }, 'permission'],
    [{ code: 200 }, 'permission'],
    [{ code: 294 }, 'permission'],
    [{ code: 12345, is_transient: true }, 'transient'],
  ])('%o → %s', (error, kind) => {
    expect(graphErrorInfo(400, envelope(error), headers({})).kind).toBe(kind);
  });

  it('keeps the code, subcode and fbtrace_id, and takes the HTTP status into account without an envelope', () => {
    const info = graphErrorInfo(400, envelope({ code: 190, error_subcode: 467, message: 'logged out' }), headers({}));
    expect(info).toEqual({ kind: 'auth', code: '190', message: 'logged out [190/467, fbtrace_id T1]', httpStatus: 400 });
    expect(graphErrorInfo(503, '<html>', headers({})).kind).toBe('transient');
    expect(graphErrorInfo(404, undefined, headers({})).kind).toBe('not_found');
  });

  it('§9.3 retryAfterMs: the largest estimated_time_to_regain_access (minutes) across BUC entries', () => {
    const buc = JSON.stringify({ '111': [{ type: 'ads_management', estimated_time_to_regain_access: 3 }], '222': [{ type: 'ads_insights', estimated_time_to_regain_access: 7 }] });
    expect(graphErrorInfo(400, envelope({ code: 80004 }), headers({ 'x-business-use-case-usage': buc })).retryAfterMs).toBe(7 * 60_000);
  });

  it('§9.3 falls back to reset_time_duration once the ad account is at 100%', () => {
    expect(retryAfterMsFromHeaders(headers({ 'x-ad-account-usage': '{"acc_id_util_pct":100,"reset_time_duration":45}' }))).toBe(45_000);
    expect(retryAfterMsFromHeaders(headers({ 'x-ad-account-usage': '{"acc_id_util_pct":40,"reset_time_duration":45}' }))).toBeUndefined();
    expect(retryAfterMsFromHeaders(headers({ 'x-business-use-case-usage': 'not json' }))).toBeUndefined();
  });
});

describe('§8.3 user_data normalisation and hashing (CONV-9)', () => {
  it("matches Meta's published examples", () => {
    const hashed = hashUserData({ email: ' John_Smith@gmail.com ', phone: '+1 (650) 555-1212', firstName: 'Mary', country: 'US' });
    expect(hashed).toEqual({
      em: ['62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'],
      ph: ['e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176'],
      fn: ['6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec'],
      country: ['79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621'],
    });
  });

  it('normalises city, zip and names before hashing; already-hashed values pass through', () => {
    expect(hashUserData({ city: 'New York' })).toEqual(hashUserData({ city: 'newyork' }));
    expect(hashUserData({ zip: '94025-1234' })).toEqual(hashUserData({ zip: '94025' }));
    expect(hashUserData({ lastName: "O'Brien" })).toEqual(hashUserData({ lastName: 'obrien' }));
    const digest = sha256Normalised('x@y.z');
    expect(hashUserData({ email: digest }).em).toEqual([digest]);
    expect(hashUserData({ email: '  ' })).toEqual({});
  });
});
