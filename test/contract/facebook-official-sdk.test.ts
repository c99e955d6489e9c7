/**
 * Issue 11: Meta's own Node SDK (facebook-nodejs-business-sdk) drives the sandbox unchanged except for
 * its base URL. The SDK hard-codes https://graph.facebook.com as the static getter
 * `FacebookAdsApi.GRAPH` (used for every object call and the Conversions API); the test redefines that
 * getter to the sandbox's URL and changes nothing else (crash reporting is off through the documented
 * `init` argument so no report is posted anywhere).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bizSdk from 'facebook-nodejs-business-sdk';
import { account, adOfKind, control, fb, token, useFacebookContract } from './support/facebook-contract';

const { FacebookAdsApi, AdAccount, Ad, AdCreative, ServerEvent, EventRequest, UserData, CustomData } = bizSdk;

useFacebookContract();

let graphDescriptor: PropertyDescriptor | undefined;
beforeAll(() => {
  graphDescriptor = Object.getOwnPropertyDescriptor(FacebookAdsApi, 'GRAPH');
  Object.defineProperty(FacebookAdsApi, 'GRAPH', { configurable: true, get: () => fb.url });
});
afterAll(() => {
  if (graphDescriptor) Object.defineProperty(FacebookAdsApi, 'GRAPH', graphDescriptor);
});

const sha = (value: string) => createHash('sha256').update(value).digest('hex');

describe('facebook-nodejs-business-sdk against the sandbox (only FacebookAdsApi.GRAPH redirected)', () => {
  it('TRK-2 reads ads, creates a creative (the SDK sends id on the edge create), points an ad at it (id sent on the update)', async () => {
    FacebookAdsApi.init(token, 'en_US', false);
    const adAccount = new AdAccount(account().id);
    const ads = await adAccount.getAds(['id', 'name', 'effective_status', 'creative{id,object_story_spec,url_tags}'], { limit: 5, effective_status: ['ACTIVE', 'PAUSED', 'PENDING_REVIEW'] });
    expect(ads.length).toBeGreaterThan(0);
    const adId = adOfKind('link');
    const ad = await new Ad(adId).get(['id', 'creative{id,object_story_spec}']);
    const spec = (ad._data as { creative: { object_story_spec: unknown } }).creative.object_story_spec;

    const created = await adAccount.createAdCreative([], { name: 'SDK copy', object_story_spec: spec, url_tags: 'utm_source=facebook&hsa_ad={{ad.id}}' });
    expect(created).toBeInstanceOf(AdCreative);
    expect(created.id).toMatch(/^\d+$/);

    await new Ad(adId).update([], { creative: { creative_id: created.id } });
    const after = await control.ad(adId);
    expect(after).toMatchObject({ creativeId: created.id, urlTags: 'utm_source=facebook&hsa_ad={{ad.id}}', effectiveStatus: 'PENDING_REVIEW' });
  });

  it('CONV-2 sends a Conversions API event through EventRequest (unset optional fields go out as null)', async () => {
    const userData = new UserData().setEmails([sha('jane@example.com')]).setClientUserAgent('Mozilla/5.0').setClientIpAddress('203.0.113.7');
    const event = new ServerEvent()
      .setEventName('Lead')
      .setEventTime(Math.floor(Date.now() / 1000) - 30)
      .setEventId(`sdk-${Date.now()}`)
      .setActionSource('website')
      .setEventSourceUrl('https://example.com/contact')
      .setUserData(userData)
      .setCustomData(new CustomData().setValue(100).setCurrency('usd'));
    const response = await new EventRequest(token, account().pixelId, [event]).execute();
    expect(response.events_received).toBe(1);
  });
});
