import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';

const SITE = 'https://shop.example.com';
const newToken = () => randomBytes(16).toString('hex');

/** ATT-4, ATT-5, CMP-1, CMP-2: first/last-touch utm_campaign, campaigns of assets counted from association time. */
describe('campaigns: touches and assets (ATT-4, ATT-5, CMP-1, CMP-2)', () => {
  const stack = useStack({ env: () => ({ TRACKING_RATE_BURST: '500' }) });

  const track = async (path: string, body: unknown) => {
    const res = await fetch(`${stack.api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(202);
    return (await res.json()) as { submissionId?: string };
  };
  const visit = (token: string, url: string) => track('/t/pageview', { visitorToken: token, url });
  const submit = async (formId: string, email: string, token: string, pageUrl: string) => {
    const { submissionId } = await track(`/t/forms/${formId}/submissions`, { email, visitorToken: token, pageUrl });
    return (await stack.db.models.FormSubmission.findById(submissionId).lean())!.contactId;
  };
  const createCampaign = async (body: Record<string, unknown>) => {
    const res = await stack.request('POST', '/api/campaigns', body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const createForm = async (name: string) => (await stack.request('POST', '/api/forms', { name })).body.id as string;
  const campaign = async (id: string) => (await stack.request('GET', `/api/campaigns/${id}`)).body;

  it('ATT-4: first-touch and last-touch utm_campaign are kept on the contact and credit the campaign that owns the value', async () => {
    const spring = await createCampaign({ name: 'Spring', utmCampaign: 'spring' });
    const formId = await createForm('Spring form');
    const token = newToken();
    await visit(token, `${SITE}/p/landing?utm_source=fb&utm_campaign=spring`);
    await visit(token, `${SITE}/p/signup`);
    const contactId = await submit(formId, 'touch@example.com', token, `${SITE}/p/signup`);
    const { body } = await stack.request('GET', `/api/contacts/${contactId}/attribution`);
    expect(body.campaigns.firstTouch).toMatchObject({ utmCampaign: 'spring', campaignId: spring });
    // Converted on a page without UTMs: the earlier page of the converting session carried it.
    expect(body.campaigns.lastTouch).toMatchObject({ utmCampaign: 'spring', campaignId: spring });
    expect((await campaign(spring)).metrics).toMatchObject({ firstTouchContacts: 1, lastTouchContacts: 1 });
  });

  it('ATT-5/CMP-2: an asset counts for a campaign from its association on; moving it does not move past touches', async () => {
    const webinar = await createCampaign({ name: 'Webinar' });
    const launch = await createCampaign({ name: 'Launch' });
    const formId = await createForm('Webinar signup');

    const early = await submit(formId, 'early@example.com', newToken(), `${SITE}/p/webinar`);
    const associated = await stack.request('POST', `/api/campaigns/${webinar}/assets`, { kind: 'form', id: formId });
    expect(associated).toMatchObject({ status: 201, body: { changed: true, movedFrom: null } });
    expect((await stack.request('POST', `/api/campaigns/${webinar}/assets`, { kind: 'form', id: formId })).body.changed).toBe(false);
    const during = await submit(formId, 'during@example.com', newToken(), `${SITE}/p/webinar`);
    expect((await campaign(webinar)).metrics).toMatchObject({ influencedContacts: 1, lastTouchContacts: 1 });
    expect((await campaign(webinar)).assets).toEqual([{ kind: 'form', id: formId }]);

    // One campaign per asset (CMP-1): associating it with Launch moves it.
    const moved = await stack.request('POST', `/api/campaigns/${launch}/assets`, { kind: 'form', id: formId });
    expect(moved.body).toMatchObject({ changed: true, movedFrom: webinar });
    const after = await submit(formId, 'after@example.com', newToken(), `${SITE}/p/webinar`);
    expect((await campaign(webinar)).assets).toEqual([]);
    expect((await campaign(webinar)).metrics).toMatchObject({ influencedContacts: 1 });
    expect((await campaign(launch)).metrics).toMatchObject({ influencedContacts: 1, lastTouchContacts: 1 });

    const influencedOf = async (id: string) => (await stack.request('GET', `/api/contacts/${id}/attribution`)).body.campaigns.influenced.map((i: { campaignId: string }) => i.campaignId);
    expect(await influencedOf(early)).toEqual([]);
    expect(await influencedOf(during)).toEqual([webinar]);
    expect(await influencedOf(after)).toEqual([launch]);
  });

  it('ATT-5: a tracking URL shows up in its campaign only after its first visit', async () => {
    const newsletter = await createCampaign({ name: 'Newsletter' });
    const trackingUrl = `${SITE}/p/promo?utm_medium=email&utm_campaign=promo-mail`;
    expect((await stack.request('POST', `/api/campaigns/${newsletter}/assets`, { kind: 'tracking_url', id: trackingUrl })).status).toBe(201);
    const before = await campaign(newsletter);
    expect(before.assets).toEqual([]);
    expect(before.hiddenUntilVisited).toEqual([{ kind: 'tracking_url', id: trackingUrl }]);
    await visit(newToken(), `${SITE}/p/promo?utm_campaign=promo-mail&utm_medium=email&utm_content=hero`);
    const afterVisit = await campaign(newsletter);
    expect(afterVisit.assets).toEqual([{ kind: 'tracking_url', id: trackingUrl }]);
    expect(afterVisit.hiddenUntilVisited).toEqual([]);
    expect((await stack.request('GET', '/api/campaigns')).body.items.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['Newsletter', 'Webinar', 'Launch', 'Spring']),
    );
  });
});
