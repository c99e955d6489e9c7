import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { createConversionActivities } from '../../activities/conversions';
import { createActivityDeps } from '../../src/temporal/activity-deps';
import { useSandboxes } from '../support/sandboxes';
import { eventually, useStack } from '../support/stack';
import {
  connectSeeded,
  createDefinition,
  createForm,
  definitionDetails,
  facebookAccepted,
  facebookEventRequests,
  ledgerRows,
  newSubmissionId,
  newVisitorToken,
  setLeadSync,
  setLifecycleStage,
  sha256,
  submitForm,
  waitForCounts,
  type ConnectedNetwork,
} from './conversions-support';

/**
 * CONV-1 / CONV-9 on Google Ads (click-conversion upload: gclid and/or hashed identifiers, order id,
 * partial failure) and LinkedIn (conversion events: SHA256_EMAIL, eventId), per-row failures with
 * the network's reason, Facebook's all-or-nothing batches split around an invalid event, and retries
 * that honour a rate-limit hint. Everything over real HTTP to the sandboxes.
 */
describe('conversion events → Google Ads and LinkedIn; failures and retries', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '300' }) });

  const s = {} as {
    google: ConnectedNetwork;
    linkedin: ConnectedNetwork;
    fb: ConnectedNetwork;
    formId: string;
    defs: Record<'googleForm' | 'googleCustomer' | 'linkedinForm' | 'fbMql', any>;
    clicked: { contactId: string; submissionId: string; gclid: string; email: string };
    plain: { contactId: string; submissionId: string; email: string };
    badClick: { contactId: string; submissionId: string };
    fbLeads: { valid: string; validContact: string; unknownContact: string };
    ready?: Promise<void>;
  };

  async function pageView(visitorToken: string, url: string) {
    const res = await fetch(`${stack.api.url}/t/pageview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ visitorToken, url }),
    });
    expect(res.status).toBe(202);
  }

  async function scenario() {
    s.google = await connectSeeded(stack, sandboxes, 'google');
    s.linkedin = await connectSeeded(stack, sandboxes, 'linkedin');
    s.fb = await connectSeeded(stack, sandboxes, 'facebook');
    await sandboxes.control('google').put('/_sandbox/config', { minClickAgeSeconds: 0 });
    s.formId = await createForm(stack, 'Quote request');
    const customerId = s.google.accountIds[0]!;

    s.defs = {
      googleForm: await createDefinition(stack, {
        network: 'google',
        adAccountId: customerId,
        trigger: { kind: 'form_submission', formId: s.formId },
        conversionActionId: s.google.seeded.conversionActionIds[0],
        value: 99.5,
        currency: 'EUR',
      }),
      googleCustomer: await createDefinition(stack, {
        network: 'google',
        adAccountId: customerId,
        trigger: { kind: 'lifecycle_stage', stages: ['customer'] },
        conversionActionId: s.google.seeded.conversionActionIds[0],
      }),
      linkedinForm: await createDefinition(stack, {
        network: 'linkedin',
        adAccountId: s.linkedin.accountIds[0],
        trigger: { kind: 'form_submission', formId: s.formId },
        conversionRuleId: s.linkedin.seeded.accounts[0].conversionRuleIds[0],
        value: 1500,
        currency: 'USD',
      }),
      fbMql: await (async () => {
        await setLeadSync(stack, 'facebook', s.fb.accountIds[0]!, true);
        return createDefinition(stack, {
          network: 'facebook',
          adAccountId: s.fb.accountIds[0],
          trigger: { kind: 'lifecycle_stage', stages: ['marketingqualifiedlead'] },
          pixelId: s.fb.seeded.accounts[0].pixelId,
        });
      })(),
    };

    // A visitor who clicked a Google ad (gclid on the landing page), then submitted the form.
    const adId = s.google.seeded.adIdsByKind.search.find((id: string) => id) as string;
    // The click happened a minute before the visit (Google refuses a conversion timed before its click,
    // and conversion times have whole seconds).
    await sandboxes.control('google').post('/_sandbox/clock', { advanceSeconds: -60 });
    const click = await sandboxes.control('google').post(`/_sandbox/ads/${adId}/click`, {});
    await sandboxes.control('google').post('/_sandbox/clock', { advanceSeconds: 60 });
    expect(click.gclid).toBeTruthy();
    const clickedVisitor = newVisitorToken();
    await pageView(clickedVisitor, `https://shop.example.com/landing?gclid=${click.gclid}`);
    const clickedEmail = 'Jane.Doe@Gmail.com';
    const clicked = await submitForm(stack, s.formId, { email: clickedEmail, fields: { phone: '+1 415 555 2671' }, visitorToken: clickedVisitor });
    s.clicked = { ...clicked, gclid: click.gclid, email: clickedEmail };
    // A visitor without a click: Google gets the hashed email only (enhanced conversions for leads).
    const plainEmail = 'lee.plain@example.net';
    s.plain = { ...(await submitForm(stack, s.formId, { email: plainEmail, visitorToken: newVisitorToken() })), email: plainEmail };
    // A click id Google cannot parse: that row fails with Google's reason; the others go.
    const badVisitor = newVisitorToken();
    await pageView(badVisitor, 'https://shop.example.com/landing?gclid=bad!gclid');
    s.badClick = await submitForm(stack, s.formId, { email: 'bad.click@example.net', visitorToken: badVisitor });
    await setLifecycleStage(stack, s.plain.contactId, 'customer');

    // Facebook: one contact with a real lead id, one whose lead id Facebook does not know. Both
    // change stage within one batch; Facebook rejects a whole request for one invalid event.
    const { leads } = await sandboxes.control('facebook').get('/_sandbox/leads');
    const valid = leads[0].id as string;
    const validContact = (await submitForm(stack, s.formId, { email: 'has.lead@example.org' })).contactId;
    const unknownContact = (await submitForm(stack, s.formId, { email: 'unknown.lead@example.org' })).contactId;
    // The lead ids are written as lead sync would (issue 5 stores `fbLeadId` on the contact).
    await stack.db.models.Contact.updateOne({ _id: validContact }, { $set: { fbLeadId: valid } });
    await stack.db.models.Contact.updateOne({ _id: unknownContact }, { $set: { fbLeadId: '999999999999999' } });
    s.fbLeads = { valid, validContact, unknownContact };
    await setLifecycleStage(stack, validContact, 'marketingqualifiedlead');
    await setLifecycleStage(stack, unknownContact, 'marketingqualifiedlead');

    await waitForCounts(stack, s.defs.googleForm.id, { sent: 4, failed: 1 });
    await waitForCounts(stack, s.defs.googleCustomer.id, { sent: 1 });
    await waitForCounts(stack, s.defs.linkedinForm.id, { sent: 5 });
    await waitForCounts(stack, s.defs.fbMql.id, { sent: 1, failed: 1 });
  }
  const ready = () => (s.ready ??= scenario());

  it('CONV-1 / CONV-9 Google Ads: a form submission is uploaded as a click conversion with gclid, SHA-256 hashed email and phone, order id and value', async () => {
    await ready();
    const rows = await ledgerRows(stack, s.defs.googleForm.id);
    const clickedRow = rows.find((r) => r.submissionId === s.clicked.submissionId);
    expect(clickedRow).toMatchObject({ status: 'sent', matchKeys: expect.arrayContaining(['gclid', 'email', 'phone']) });
    const { accepted } = await sandboxes.control('google').get(`/_sandbox/conversions?accountId=${s.google.accountIds[0]}`);
    const uploaded = accepted.find((c: any) => c.conversion.orderId === clickedRow.eventId);
    expect(uploaded).toBeTruthy();
    expect(uploaded.matched).toBe(true);
    expect(uploaded.conversion).toMatchObject({
      gclid: s.clicked.gclid,
      conversionAction: `customers/${s.google.accountIds[0]}/conversionActions/${s.google.seeded.conversionActionIds[0]}`,
      conversionValue: 99.5,
      currencyCode: 'EUR',
    });
    expect(uploaded.conversion.conversionDateTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+00:00$/);
    // Google's normalisation (reference §4.3): gmail dots dropped, E.164 phone.
    expect(uploaded.conversion.userIdentifiers).toEqual([{ hashedEmail: sha256('janedoe@gmail.com') }, { hashedPhoneNumber: sha256('+14155552671') }]);
    const everything = JSON.stringify(accepted).toLowerCase();
    expect(everything).not.toContain('janedoe@gmail.com');
    expect(everything).not.toContain(s.plain.email);

    // Without a click: hashed email only, and a lifecycle change the same way.
    const plainRow = rows.find((r) => r.submissionId === s.plain.submissionId);
    const plainUpload = accepted.find((c: any) => c.conversion.orderId === plainRow.eventId);
    expect(plainUpload.conversion.gclid).toBeUndefined();
    expect(plainUpload.conversion.userIdentifiers).toEqual([{ hashedEmail: sha256(s.plain.email) }]);
    const [customerRow] = await ledgerRows(stack, s.defs.googleCustomer.id);
    expect(customerRow).toMatchObject({ status: 'sent', contactId: s.plain.contactId, stage: 'customer' });
    expect(accepted.filter((c: any) => c.conversion.orderId === customerRow.eventId)).toHaveLength(1);
  });

  it('CONV-8 per-row failures keep the network\'s reason and show in the counts; the rest of the batch is sent', async () => {
    await ready();
    const rows = await ledgerRows(stack, s.defs.googleForm.id);
    const failed = rows.find((r) => r.submissionId === s.badClick.submissionId);
    expect(failed).toMatchObject({ status: 'failed', reason: { code: 'UNPARSEABLE_GCLID' } });
    const details = await definitionDetails(stack, s.defs.googleForm.id);
    // Five submissions of the form: four uploaded, one refused.
    expect(details.counts).toMatchObject({ sent: 4, failed: 1 });
    expect(details.counts.reasons).toContainEqual(expect.objectContaining({ status: 'failed', code: 'UNPARSEABLE_GCLID', count: 1 }));
    expect(details.lastError.message).toMatch(/UNPARSEABLE_GCLID/);
    // The refused row and the sent ones were one upload (partial failure): the definition sent one
    // batch of five, and Google received an upload of five.
    expect(details.live).toMatchObject({ batches: 1, sent: 4, failed: 1, lastBatch: { size: 5 } });
    const { requests } = await sandboxes.control('google').get('/_sandbox/requests');
    const uploads = requests.filter((r: any) => r.path.endsWith(':uploadClickConversions'));
    expect(uploads.map((r: any) => r.batchSize)).toContain(5);
  });

  it('CONV-1 / CONV-9 LinkedIn: conversion events with SHA256_EMAIL, the stable eventId and the value', async () => {
    await ready();
    const rows = await ledgerRows(stack, s.defs.linkedinForm.id);
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(5);
    const { accepted } = await sandboxes.control('linkedin').get('/_sandbox/conversions');
    const row = rows.find((r) => r.submissionId === s.clicked.submissionId);
    const event = accepted.find((e: any) => e.eventId === row.eventId);
    expect(event).toBeTruthy();
    expect(event.event).toMatchObject({
      conversion: `urn:lla:llaPartnerConversion:${s.linkedin.seeded.accounts[0].conversionRuleIds[0]}`,
      eventId: row.eventId,
      conversionValue: { currencyCode: 'USD', amount: '1500' },
      // LinkedIn normalisation (reference §4.2): trim + lowercase, no gmail rule.
      user: { userIds: [{ idType: 'SHA256_EMAIL', idValue: sha256('jane.doe@gmail.com') }] },
    });
    expect(event.event.conversionHappenedAt).toBe(new Date(row.occurredAt).getTime());
    expect(JSON.stringify(accepted).toLowerCase()).not.toContain('jane.doe@gmail.com');
  });

  it('CONV-8 Facebook rejects a whole request for one invalid event: the batch is split, the valid event is sent, the invalid one fails with Facebook\'s reason', async () => {
    await ready();
    const rows = await ledgerRows(stack, s.defs.fbMql.id);
    const valid = rows.find((r) => r.contactId === s.fbLeads.validContact);
    const unknown = rows.find((r) => r.contactId === s.fbLeads.unknownContact);
    expect(valid.status).toBe('sent');
    expect(unknown).toMatchObject({ status: 'failed', reason: { code: '100' } });
    const events = await facebookAccepted(sandboxes, s.fb.seeded.accounts[0].pixelId);
    expect(events.map((e) => e.eventId)).toEqual([valid.eventId]);
    expect(String(events[0].event.user_data.lead_id)).toBe(s.fbLeads.valid);
    // One rejected request of 2, then 1 + 1.
    const sizes = (await facebookEventRequests(sandboxes, s.fb.seeded.accounts[0].pixelId)).map((r) => `${r.batchSize}:${r.status}`);
    expect(sizes.sort()).toEqual(['1:200', '1:400', '2:400']);
  });

  it('CONV-8 a rate-limited upload is retried after the delay the network asks for, and sent once', async () => {
    await ready();
    const google = sandboxes.control('google');
    const startedAt = new Date().toISOString();
    await google.put('/_sandbox/faults', { rateLimitRate: 1, retryAfterSeconds: 3 });
    const email = 'throttled.visitor@example.com';
    const submitted = await submitForm(stack, s.formId, { email, visitorToken: newVisitorToken(), submissionId: newSubmissionId() });
    const uploadsOf = async () =>
      ((await google.get('/_sandbox/requests')).requests as any[]).filter((r) => r.path.endsWith(':uploadClickConversions') && r.at >= startedAt);
    // Throttled at least twice, then the network recovers.
    await eventually(async () => (await uploadsOf()).filter((r) => r.status === 429).length >= 2, { timeoutMs: 40_000, what: 'throttled uploads' });
    await fetch(`${sandboxes.running.urls.google}/_sandbox/faults`, { method: 'DELETE' });
    const row = await eventually(
      async () => (await ledgerRows(stack, s.defs.googleForm.id)).find((r) => r.submissionId === submitted.submissionId && r.status === 'sent'),
      { timeoutMs: 40_000, what: 'throttled conversion sent' },
    );
    const uploads = await uploadsOf();
    const times = uploads.map((r) => Date.parse(r.at));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(2_900);
    expect(uploads.at(-1).status).toBe(200);
    expect(row.attempts).toBe(uploads.length);
    const { accepted } = await google.get(`/_sandbox/conversions?accountId=${s.google.accountIds[0]}`);
    expect(accepted.filter((c: any) => c.conversion.orderId === row.eventId)).toHaveLength(1);
  });

  it('CONV-8 a batch the network answered just before a crash is recorded from its journal when the send is retried — not sent again', async () => {
    await ready();
    const { models } = stack.db;
    const pixelId = s.fb.seeded.accounts[0].pixelId;
    const requestsBefore = (await facebookEventRequests(sandboxes, pixelId)).length;
    // The state a worker leaves when it dies after Facebook answered and the journal was written,
    // but before the ledger row: the event is still in the outbox.
    const eventId = 'ls-journal-test-0000000000000000000000000000';
    const at = new Date();
    await models.ConversionOutbox.collection.insertMany([
      {
        _id: eventId,
        eventId,
        definitionId: s.defs.fbMql.id,
        network: 'facebook',
        kind: 'lifecycle_stage',
        contactId: s.fbLeads.validContact,
        stage: 'customer',
        formId: null,
        submissionId: null,
        occurredAt: at,
        status: 'pending',
        reason: null,
        payload: { event_name: 'Customer', event_time: Math.floor(at.getTime() / 1000), event_id: eventId, action_source: 'system_generated', user_data: { lead_id: s.fbLeads.valid } },
        matchKeys: ['facebookLeadId'],
        response: null,
        attempts: 0,
        seen: 1,
        prepareToken: 'crash-test',
        enqueuedAt: at,
        sentAt: null,
        settledAt: null,
        createdAt: at,
      },
      {
        _id: 'journal:crash-test',
        entry: 'journal',
        definitionId: s.defs.fbMql.id,
        attempts: 1,
        outcomes: [{ eventId, status: 'sent', reason: null, response: { eventsReceived: 1, batchSize: 1 } }],
        createdAt: at,
      },
    ] as never[]);
    const activities = createConversionActivities(createActivityDeps(stack.config, stack.db));
    const result = await new MockActivityEnvironment().run((input: { definitionId: string; eventIds: string[] }) => activities.sendConversionBatch(input), { definitionId: s.defs.fbMql.id, eventIds: [eventId] });
    expect(result).toMatchObject({ sent: 0, failed: 0 });
    expect(await models.ConversionLedger.findById(eventId).lean()).toMatchObject({ status: 'sent', response: { eventsReceived: 1 } });
    expect(await models.ConversionOutbox.countDocuments({ definitionId: s.defs.fbMql.id })).toBe(0);
    expect((await facebookEventRequests(sandboxes, pixelId)).length).toBe(requestsBefore);
  });
});
