import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventually, useStack, type TestStack } from '../support/stack';

const SITE = 'https://shop.example.com';
const ALLOWED_ORIGIN = 'https://shop.example.com';

const newToken = () => randomBytes(16).toString('hex');

/** The public tracking endpoints, as the tracking script calls them (no admin token). */
function tracker(stack: TestStack) {
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${stack.api.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text)) : undefined, headers: res.headers };
  };
  return {
    post,
    pageView: (token: string, url: string, extra: Record<string, unknown> = {}) => post('/t/pageview', { visitorToken: token, url, title: 'A page', ...extra }),
    submit: (formId: string, body: Record<string, unknown>) => post(`/t/forms/${formId}/submissions`, body),
  };
}

describe('visitors and contacts (VIS-1…VIS-7)', () => {
  const stack = useStack({ env: () => ({ CORS_SITE_ORIGINS: ALLOWED_ORIGIN, TRACKING_RATE_PER_MINUTE: '1', TRACKING_RATE_BURST: '40' }) });
  /** The durable CRM activity records (conversion events are delivered from these). */
  const activitiesOf = (contactId: string) => stack.db.models.CrmActivity.find({ contactId }).sort({ at: 1 }).lean();

  const createForm = async (name: string, alwaysCreateNewContact = false) => {
    const res = await stack.request('POST', '/api/forms', { name, alwaysCreateNewContact });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const contactOf = async (id: string) => (await stack.request('GET', `/api/contacts/${id}`)).body;

  async function submitAndFind(formId: string, body: Record<string, unknown>): Promise<{ contactId: string; rule: string }> {
    const t = tracker(stack);
    const res = await t.submit(formId, body);
    expect(res.status).toBe(202);
    const stored = await stack.db.models.FormSubmission.findById(res.body.submissionId).lean();
    expect(stored).not.toBeNull();
    return { contactId: stored!.contactId, rule: stored!.rule };
  }

  it('VIS-1/VIS-2: anonymous page views are kept and tied to the contact when the visitor submits a form', async () => {
    const t = tracker(stack);
    const formId = await createForm('Newsletter');
    const token = newToken();
    expect((await t.pageView(token, `${SITE}/pricing?utm_campaign=spring`)).status).toBe(202);
    expect((await t.pageView(token, `${SITE}/features`, { referrer: `${SITE}/pricing` })).status).toBe(202);
    expect(await stack.db.models.PageView.countDocuments({ visitorToken: token, contactId: null })).toBe(2);

    const { contactId, rule } = await submitAndFind(formId, { email: ' Ada@Example.com ', fields: { name: 'Ada Lovelace' }, pageUrl: `${SITE}/features`, visitorToken: token });
    expect(rule).toBe('new_contact');
    const contact = await contactOf(contactId);
    expect(contact.email).toBe('ada@example.com');
    expect(contact.firstName).toBe('Ada');
    expect(contact.pageViews.map((v: { url: string }) => v.url).sort()).toEqual([`${SITE}/features`, `${SITE}/pricing?utm_campaign=spring`]);
    expect(contact.sessions).toHaveLength(1);
    expect(contact.identification.at(-1).explanation).toMatch(/New contact/);
    expect(contact.attribution.campaigns.firstTouch.utmCampaign).toBe('spring');
    expect(contact.lastSubmission.pageUrl).toBe(`${SITE}/features`);

    // Identified now: the next page view belongs to the contact right away.
    await t.pageView(token, `${SITE}/blog`);
    expect(await stack.db.models.PageView.countDocuments({ visitorToken: token, contactId })).toBe(3);
  });

  it('VIS-3: a visitor who cleared cookies is a new visitor, but the same email still lands in one contact', async () => {
    const t = tracker(stack);
    const formId = await createForm('Demo request');
    const first = newToken();
    await t.pageView(first, `${SITE}/demo`);
    const a = await submitAndFind(formId, { email: 'grace@example.com', pageUrl: `${SITE}/demo`, visitorToken: first });

    const afterClearing = newToken();
    await t.pageView(afterClearing, `${SITE}/demo?again=1`);
    const b = await submitAndFind(formId, { email: 'GRACE@example.com', pageUrl: `${SITE}/demo?again=1`, visitorToken: afterClearing });
    expect(b.contactId).toBe(a.contactId);
    expect(b.rule).toBe('email_match');

    const contact = await contactOf(a.contactId);
    expect(contact.visitorTokens).toBe(2);
    expect(contact.pageViews).toHaveLength(2);
    expect(await stack.db.models.Visitor.countDocuments({ _id: { $in: [first, afterClearing] } })).toBe(2);
    expect(await stack.db.models.Contact.countDocuments({ emails: 'grace@example.com' })).toBe(1);
  });

  it('VIS-4: email first, then the browser cookie — two people sharing a browser end up in one contact', async () => {
    const formId = await createForm('Contact us');
    const shared = newToken();
    await tracker(stack).pageView(shared, `${SITE}/contact`);
    const first = await submitAndFind(formId, { email: 'alice@example.com', pageUrl: `${SITE}/contact`, visitorToken: shared });
    const second = await submitAndFind(formId, { email: 'bob@example.com', pageUrl: `${SITE}/contact`, visitorToken: shared });
    expect(second.contactId).toBe(first.contactId);
    expect(second.rule).toBe('cookie_match');

    const contact = await contactOf(first.contactId);
    expect(contact.email).toBe('bob@example.com');
    expect(contact.emails.sort()).toEqual(['alice@example.com', 'bob@example.com']);
    expect(contact.identification.at(-1).explanation).toMatch(/Matched by browser cookie/);

    // Email first: bob from another browser is the same contact, not a new one.
    const elsewhere = await submitAndFind(formId, { email: 'bob@example.com', visitorToken: newToken() });
    expect(elsewhere.contactId).toBe(first.contactId);
    expect(elsewhere.rule).toBe('email_match');
  });

  it('VIS-5: a form that always creates a new contact for a new email does so even from the same browser', async () => {
    const kiosk = await createForm('Event kiosk', true);
    const t = tracker(stack);
    const browser = newToken();
    await t.pageView(browser, `${SITE}/event`);
    const first = await submitAndFind(kiosk, { email: 'carol@example.com', pageUrl: `${SITE}/event`, visitorToken: browser });
    const second = await submitAndFind(kiosk, { email: 'dan@example.com', pageUrl: `${SITE}/event`, visitorToken: browser });
    expect(second.contactId).not.toBe(first.contactId);
    expect(second.rule).toBe('new_email_new_contact');
    expect((await contactOf(first.contactId)).emails).toEqual(['carol@example.com']);
    expect((await contactOf(second.contactId)).emails).toEqual(['dan@example.com']);
    // Earlier page views stay with the first contact; the browser is the new contact from now on.
    expect((await contactOf(first.contactId)).pageViews).toHaveLength(1);
    await t.pageView(browser, `${SITE}/event/thanks`);
    expect((await contactOf(second.contactId)).pageViews.map((v: { url: string }) => v.url)).toEqual([`${SITE}/event/thanks`]);
  });

  it('VIS-7: a tracked-email link identifies a browser once; a forwarded click only gives a temporary identity', async () => {
    const imported = await stack.request('POST', '/api/contacts/import', { contacts: [{ email: 'recipient@example.com', firstName: 'Rita' }] });
    expect(imported.status).toBe(200);
    const recipientId = imported.body.contacts[0].contactId as string;
    const param = (await contactOf(recipientId)).trackedEmailLinkParam as string;
    const link = `${SITE}/offer?utm_medium=email&${param}`;
    const t = tracker(stack);

    const recipientBrowser = newToken();
    await t.pageView(recipientBrowser, link);
    expect((await contactOf(recipientId)).pageViews).toHaveLength(1);

    // The same email forwarded to someone else: their clicks are not the recipient.
    const forwardedBrowser = newToken();
    await t.pageView(forwardedBrowser, link);
    expect(await stack.db.models.PageView.countDocuments({ visitorToken: forwardedBrowser, contactId: null })).toBe(1);
    expect((await contactOf(recipientId)).pageViews).toHaveLength(1);
    const visitor = await stack.db.models.Visitor.findById(forwardedBrowser).lean();
    expect(visitor!.identity.kind).toBe('temporary');

    // A form submission with a new email identifies the forwarded browser as a new contact.
    const formId = await createForm('Offer');
    const submitted = await submitAndFind(formId, { email: 'friend@example.com', pageUrl: link, visitorToken: forwardedBrowser });
    expect(submitted.contactId).not.toBe(recipientId);
    expect(submitted.rule).toBe('new_contact');
    const friend = await contactOf(submitted.contactId);
    expect(friend.identification.at(-1).explanation).toMatch(/temporary identity/);
    expect(friend.pageViews).toHaveLength(1);
    expect((await contactOf(recipientId)).emails).toEqual(['recipient@example.com']);

    // A forged recipient parameter identifies nobody.
    const forged = newToken();
    await t.pageView(forged, `${SITE}/offer?atk_rcpt=${recipientId}.000000000000000000000000`);
    expect((await stack.db.models.Visitor.findById(forged).lean())!.identity.kind).toBe('anonymous');
  });

  it('VIS-2: an imported contact is matched by email; import is idempotent and de-duplicates by email', async () => {
    const rows = [
      { email: 'Imp@Example.com', firstName: 'Imo' },
      { email: 'imp@example.com', lastName: 'Port', properties: { consent_marketing: 'yes' } },
      { email: 'not-an-email' },
      { email: 'other@example.com', lifecycleStage: 'customer' },
    ];
    const first = await stack.request('POST', '/api/contacts/import', { contacts: rows });
    expect(first.body).toMatchObject({ received: 4, created: 2, matched: 0, duplicatesInBatch: 1 });
    expect(first.body.invalid).toEqual([{ index: 2, reason: 'not a valid email address' }]);
    const again = await stack.request('POST', '/api/contacts/import', { contacts: rows });
    expect(again.body).toMatchObject({ created: 0, matched: 2 });
    expect(again.body.contacts.map((c: { contactId: string }) => c.contactId)).toEqual(first.body.contacts.map((c: { contactId: string }) => c.contactId));

    const importedId = first.body.contacts[0].contactId as string;
    const imported = await contactOf(importedId);
    expect(imported).toMatchObject({ firstName: 'Imo', lastName: 'Port', source: 'import', lifecycleStage: 'subscriber', properties: { consent_marketing: 'yes' } });
    expect(imported.attribution.reason).toBe('NO_CONVERSION');

    const formId = await createForm('Webinar');
    const submitted = await submitAndFind(formId, { email: 'imp@example.com', visitorToken: newToken() });
    expect(submitted.contactId).toBe(importedId);
    expect(submitted.rule).toBe('email_match');
  });

  it('lists contacts with filters and pages; PATCH changes the lifecycle stage and emits the CRM activity once', async () => {
    const formId = await createForm('Trial');
    const { contactId } = await submitAndFind(formId, { email: 'stage@example.com', visitorToken: newToken(), submissionId: 'trial-submit-0001' });
    // A retried submission (same client submission id) is stored once and emitted once.
    const retry = await tracker(stack).submit(formId, { email: 'stage@example.com', submissionId: 'trial-submit-0001' });
    expect(retry.status).toBe(202);
    expect(await stack.db.models.FormSubmission.countDocuments({ formId })).toBe(1);
    const forms = (await activitiesOf(contactId)).filter((a) => a.kind === 'form_submission' && a.formId === formId);
    expect(forms).toEqual([expect.objectContaining({ _id: `form_submission:${forms[0]?.submissionId}`, contactId, via: 'form' })]);
    // References only: no email, IP address or user agent in the record.
    expect(JSON.stringify(forms)).not.toContain('stage@example.com');

    const patched = await stack.request('PATCH', `/api/contacts/${contactId}`, { lifecycleStage: 'marketingqualifiedlead', properties: { consent: 'granted' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ lifecycleStage: 'marketingqualifiedlead', properties: { consent: 'granted' } });
    await stack.request('PATCH', `/api/contacts/${contactId}`, { lifecycleStage: 'marketingqualifiedlead' });
    // The new contact started as a lead (from the form), then moved once.
    expect((await activitiesOf(contactId)).filter((a) => a.kind === 'lifecycle_stage').map((a) => [a.stage, a.via])).toEqual([
      ['lead', 'form'],
      ['marketingqualifiedlead', 'api'],
    ]);
    expect((await stack.request('PATCH', `/api/contacts/${contactId}`, { lifecycleStage: 'prospect' })).status).toBe(400);

    const byStage = await stack.request('GET', '/api/contacts?lifecycleStage=marketingqualifiedlead');
    expect(byStage.body.items.map((c: { id: string }) => c.id)).toEqual([contactId]);
    const byEmail = await stack.request('GET', '/api/contacts?email=STAGE@example.com');
    expect(byEmail.body.items.map((c: { id: string }) => c.id)).toEqual([contactId]);

    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await stack.request('GET', `/api/contacts?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      page.body.items.forEach((c) => seen.add(c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(await stack.db.models.Contact.countDocuments());
  });

  it('CONV-9 the Meta pixel\'s cookies travel with a submission; values not in Meta\'s format are dropped, not an error', async () => {
    const t = tracker(stack);
    const formId = await createForm('Pixel site');
    const fbp = 'fb.1.1596403881668.1116446470';
    const fbc = `fb.1.${Date.now() - 60_000}.IwAR-pixel_click`;
    const good = await t.submit(formId, { email: 'pixel.ok@example.com', visitorToken: newToken(), fbc, fbp });
    expect(good.status).toBe(202);
    expect(await stack.db.models.FormSubmission.findById(good.body.submissionId).lean()).toMatchObject({ fbc, fbp });
    const odd = await t.submit(formId, { email: 'pixel.odd@example.com', visitorToken: newToken(), fbc: 'fb.1.notatime.x', fbp: 'tracking-me' });
    expect(odd.status).toBe(202);
    expect(await stack.db.models.FormSubmission.findById(odd.body.submissionId).lean()).toMatchObject({ fbc: null, fbp: null });
  });

  it('malformed, oversized or unwanted tracking payloads get a 4xx envelope and store nothing', async () => {
    const t = tracker(stack);
    const formId = await createForm('Guarded');
    const before = await stack.db.models.PageView.countDocuments();
    const expectEnvelope = (res: { status: number; body: any }, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect(res.body.error).toMatchObject({ code, message: expect.any(String) });
    };
    expectEnvelope(await t.post('/t/pageview', '{"visitorToken":'), 400, 'invalid_json');
    expectEnvelope(await t.pageView('not-a-token', `${SITE}/x`), 400, 'validation_failed');
    expectEnvelope(await t.pageView(newToken(), 'javascript:alert(1)'), 400, 'validation_failed');
    expectEnvelope(await t.post('/t/pageview', { visitorToken: newToken(), url: `${SITE}/x`, extra: 'field' }), 400, 'validation_failed');
    expectEnvelope(await t.post('/t/pageview', { visitorToken: newToken(), url: `${SITE}/${'a'.repeat(20_000)}` }), 413, 'payload_too_large');
    expectEnvelope(await t.post('/t/pageview', { visitorToken: newToken(), url: `${SITE}/x` }, { 'content-type': 'application/xml' }), 415, 'unsupported_media_type');
    expectEnvelope(await t.post('/t/pageview', { visitorToken: newToken(), url: `${SITE}/x` }, { origin: 'https://evil.example.net' }), 403, 'origin_not_allowed');
    expectEnvelope(await t.submit(formId, { email: 'not an email', visitorToken: newToken() }), 400, 'validation_failed');
    expectEnvelope(await t.submit(formId, { email: 'x@example.com', fields: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`f${i}`, 'v'])) }), 400, 'validation_failed');
    expectEnvelope(await t.submit(formId, { email: 'x@example.com', fbc: `fb.1.1700000000000.${'a'.repeat(600)}` }), 400, 'validation_failed');
    expectEnvelope(await t.submit('no-such-form', { email: 'x@example.com' }), 404, 'form_not_found');
    expect(await stack.db.models.PageView.countDocuments()).toBe(before);
    expect(await stack.db.models.FormSubmission.countDocuments({ formId })).toBe(0);

    // The browser's preflight from an allowed site origin.
    const preflight = await fetch(`${stack.api.url}/t/forms/${formId}/submissions`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    const allowed = await t.pageView(newToken(), `${SITE}/ok`, {});
    expect(allowed.status).toBe(202);
  });

  it('rate-limits one visitor (token bucket) with 429 and Retry-After', async () => {
    const t = tracker(stack);
    const token = newToken();
    const statuses: number[] = [];
    for (let i = 0; i < 45; i += 1) statuses.push((await t.pageView(token, `${SITE}/spam/${i}`)).status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(40);
    expect(statuses.at(-1)).toBe(429);
    const limited = await t.pageView(token, `${SITE}/spam/again`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another visitor is not affected.
    await eventually(async () => (await t.pageView(newToken(), `${SITE}/fine`)).status === 202, { what: 'another visitor tracked' });
  });
});
