import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AdDoc } from '../../src/db/models/ad';
import { useSandboxes } from '../support/sandboxes';
import { eventually, useStack } from '../support/stack';
import { seedAndConnect } from '../support/tracking-helpers';

const newToken = () => randomBytes(16).toString('hex');

/**
 * ATT-1, ATT-2, ACC-5 over HTTP: which contacts are credited to an ad, and the explanation
 * GET /api/contacts/:id/attribution gives when they are not. Clicks come from the Facebook
 * sandbox's click simulation on ads the account workflow tagged.
 */
describe('ad attribution and its explanation (ATT-1, ATT-2, ACC-5)', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '2', TRACKING_RATE_BURST: '500' }) });
  let accountId: string;
  let ads: AdDoc[];
  let formId: string;

  beforeAll(async () => {
    const { account } = await seedAndConnect(stack, sandboxes, 'facebook', { seed: 21, accounts: 1, adsPerAccount: 24 });
    accountId = account.id;
    ads = await eventually(
      async () => {
        const tracked = await stack.db.models.Ad.find({ accountKey: accountId, trackingStatus: 'tracked' }).sort({ _id: 1 }).lean<AdDoc[]>();
        const usable = tracked.filter((ad) => ad.landingUrl?.includes('/p/') && !ad.landingUrl.includes('#'));
        return usable.length >= 3 ? usable : undefined;
      },
      { timeoutMs: 45_000, what: 'three tracked ads' },
    );
    formId = (await stack.request('POST', '/api/forms', { name: 'Signup' })).body.id;
  });

  const click = async (ad: AdDoc) => (await sandboxes.control('facebook').post(`/_sandbox/ads/${ad.adId}/click`, {})).landingUrl as string;
  const track = async (path: string, body: unknown) => {
    const res = await fetch(`${stack.api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(202);
    return (await res.json()) as { submissionId?: string };
  };
  const visit = (token: string, url: string) => track('/t/pageview', { visitorToken: token, url });
  const submit = async (email: string, token?: string, pageUrl?: string) => {
    const { submissionId } = await track(`/t/forms/${formId}/submissions`, { email, ...(token ? { visitorToken: token } : {}), ...(pageUrl ? { pageUrl } : {}) });
    return (await stack.db.models.FormSubmission.findById(submissionId).lean())!.contactId;
  };
  const attributionOf = async (contactId: string) => (await stack.request('GET', `/api/contacts/${contactId}/attribution`)).body;

  it('ATT-1: a click that starts the session of the first conversion credits exactly that ad', async () => {
    const [ad] = ads;
    const token = newToken();
    const landing = await click(ad!);
    await visit(token, landing);
    await visit(token, landing.replace(/\/p\/[^?]+/, '/p/pricing'));
    const contactId = await submit('credited@example.com', token, landing);
    const attribution = await attributionOf(contactId);
    expect(attribution).toMatchObject({ attributed: true, reason: 'ATTRIBUTED', ad: { adKey: ad!._id, campaignId: ad!.campaign.id, adGroupId: ad!.adGroup.id, accountKey: accountId } });
    // A later click on another ad does not move the credit (only the first conversion counts).
    await visit(token, await click(ads[1]!));
    await submit('credited@example.com', token);
    expect((await attributionOf(contactId)).ad.adKey).toBe(ad!._id);
  });

  it('ATT-2: a conversion without the tracking cookie is not credited (NO_COOKIE)', async () => {
    const contactId = await submit('nocookie@example.com');
    expect(await attributionOf(contactId)).toMatchObject({ attributed: false, reason: 'NO_COOKIE', explanation: expect.stringMatching(/without the tracking cookie/) });
  });

  it('ATT-1: converting first in a session without an ad click, after an earlier ad click, is DIFFERENT_SESSION', async () => {
    // The ad click happened on one cookie; the visitor cleared cookies and converted on a direct visit;
    // later the first cookie submits the same email, tying the ad session to the contact (VIS-3).
    const clicked = newToken();
    await visit(clicked, await click(ads[1]!));
    const direct = newToken();
    await visit(direct, 'https://shop.example.com/p/home');
    const contactId = await submit('twosessions@example.com', direct, 'https://shop.example.com/p/home');
    expect((await attributionOf(contactId)).reason).toBe('NO_AD_PARAMS');
    expect(await submit('twosessions@example.com', clicked)).toBe(contactId);
    const attribution = await attributionOf(contactId);
    expect(attribution).toMatchObject({ attributed: false, reason: 'DIFFERENT_SESSION', candidate: { adId: ads[1]!.adId } });
    expect(attribution.explanation).toMatch(/converted for the first time in a later session/);
  });

  it('ATT-1: an ad click after the first conversion is NOT_FIRST_CONVERSION', async () => {
    const token = newToken();
    await visit(token, 'https://shop.example.com/p/newsletter');
    const contactId = await submit('later-click@example.com', token, 'https://shop.example.com/p/newsletter');
    await visit(token, await click(ads[2]!));
    await submit('later-click@example.com', token);
    expect(await attributionOf(contactId)).toMatchObject({ attributed: false, reason: 'NOT_FIRST_CONVERSION', candidate: { adId: ads[2]!.adId } });
  });

  it('ACC-5: a click while auto-tracking was off is not credited, even though the ad still carries its parameters', async () => {
    const off = await stack.request('POST', `/api/accounts/${encodeURIComponent(accountId)}/auto-tracking`, { enabled: false });
    expect(off.status).toBe(200);
    const token = newToken();
    await visit(token, await click(ads[0]!));
    const contactId = await submit('while-off@example.com', token);
    const attribution = await attributionOf(contactId);
    expect(attribution).toMatchObject({ attributed: false, reason: 'AD_NOT_TRACKED_AT_CLICK' });
    expect(attribution.explanation).toMatch(/auto-tracking was off/);
    expect((await stack.request('POST', `/api/accounts/${encodeURIComponent(accountId)}/auto-tracking`, { enabled: true })).status).toBe(200);
  });

  it('parameters naming an ad this system does not know are UNKNOWN_AD', async () => {
    const token = newToken();
    const url = 'https://shop.example.com/p/x?hsa_net=facebook&hsa_acc=999&hsa_cam=1&hsa_grp=2&hsa_ad=3&hsa_ver=3';
    await visit(token, url);
    const contactId = await submit('unknown-ad@example.com', token, url);
    expect(await attributionOf(contactId)).toMatchObject({ attributed: false, reason: 'UNKNOWN_AD' });
    const detail = (await stack.request('GET', `/api/contacts/${contactId}`)).body;
    expect(detail.interactedWithAds).toBe(true);
    expect(detail.source).toBe('paid_social');
  });
});
