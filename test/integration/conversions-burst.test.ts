import { randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import type { ConversionActivityRef } from '../../workflows/conversions-definitions';
import { useSandboxes } from '../support/sandboxes';
import { eventually, startWorker, useStack } from '../support/stack';
import { connectSeeded, createDefinition, facebookAccepted, facebookEventRequests, ledgerRows, sha256, signalRefs } from './conversions-support';

/**
 * Acceptance 2 (issue 6): a burst of 10,000 qualifying events reaches the Facebook sandbox in at most
 * 10 requests with no duplicate event_id — while the worker that started the burst is shut down
 * mid-burst and a second worker takes over.
 *
 * To produce 10,000 events cheaply the test writes the contact and its submissions through issue 5's
 * models and signals the definition's workflow directly with batched activity references (1,000 per
 * signal) — the same references the CRM-activity router sends one at a time.
 */
const EVENTS = 10_000;
const PER_SIGNAL = 1_000;

describe('conversion burst', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '300' }) });

  it('CONV-7 / acceptance 2: 10,000 form events reach Facebook in ≤ 10 requests, no duplicate event_id, across a worker shutdown', async () => {
    const fb = await connectSeeded(stack, sandboxes, 'facebook');
    const pixelId: string = fb.seeded.accounts[0].pixelId;
    const { models } = stack.db;

    const formId = `form-${randomUUID()}`;
    await models.Form.create({ _id: formId, name: 'Burst form' });
    const contactId = randomUUID();
    const email = `burst.${contactId.slice(0, 8)}@example.com`;
    await models.Contact.create({ _id: contactId, email, emails: [email], phone: '+14155550123', lifecycleStage: 'lead', properties: {} });

    const definition = await createDefinition(stack, {
      network: 'facebook',
      adAccountId: fb.accountIds[0],
      trigger: { kind: 'form_submission', formId },
      pixelId,
    });

    const at = new Date(Date.parse(definition.createdAt) + 1_000);
    const refs: ConversionActivityRef[] = [];
    const submissions = [];
    for (let i = 0; i < EVENTS; i++) {
      const submissionId = `burst-${i}-${contactId.slice(0, 8)}`;
      refs.push({ kind: 'form_submission', contactId, formId, submissionId, at: new Date(at.getTime() + i).toISOString() });
      submissions.push({
        _id: submissionId,
        formId,
        contactId,
        email,
        fields: {},
        pageUrl: 'https://shop.example.com/offer',
        userAgent: 'Mozilla/5.0 BurstTest',
        ip: '203.0.113.9',
        at: new Date(at.getTime() + i),
        rule: 'email_match',
        explanation: 'burst',
      });
    }
    for (let i = 0; i < submissions.length; i += 2_000) await models.FormSubmission.insertMany(submissions.slice(i, i + 2_000), { ordered: false });

    // A second worker on the same task queue; the first one is shut down mid-burst.
    const second = await startWorker(stack);
    const secondRun = second.run();

    const started = Date.now();
    for (let i = 0; i < refs.length; i += PER_SIGNAL) await signalRefs(stack, definition.id, refs.slice(i, i + PER_SIGNAL));

    // Mid-burst: some events are at Facebook, most are not.
    await eventually(async () => (await facebookEventRequests(sandboxes, pixelId)).length >= 2, { timeoutMs: 60_000, intervalMs: 100, what: 'first batches sent' });
    const first: Worker = stack.worker;
    first.shutdown();
    (stack as { worker?: Worker }).worker = second;
    const acceptedAtShutdown = (await facebookAccepted(sandboxes, pixelId)).length;

    const accepted = await eventually(
      async () => {
        const all = await facebookAccepted(sandboxes, pixelId);
        return all.length >= EVENTS ? all : undefined;
      },
      { timeoutMs: 80_000, intervalMs: 500, what: `${EVENTS} events at Facebook` },
    );
    const duration = Date.now() - started;
    const requests = await facebookEventRequests(sandboxes, pixelId);
    const eventIds = accepted.map((e: any) => e.eventId);

    console.log(
      `[conversions-burst] ${accepted.length} events in ${requests.length} requests (sizes ${requests.map((r) => r.batchSize).join(',')}), ` +
        `${duration} ms; ${acceptedAtShutdown} accepted when the first worker was shut down`,
    );
    expect(acceptedAtShutdown).toBeGreaterThan(0);
    expect(acceptedAtShutdown).toBeLessThan(EVENTS);
    expect(accepted).toHaveLength(EVENTS);
    expect(new Set(eventIds).size).toBe(EVENTS);
    expect(accepted.filter((e: any) => e.duplicateOf !== undefined)).toHaveLength(0);
    expect(requests.length).toBeLessThanOrEqual(10);
    expect(requests.every((r) => r.status === 200)).toBe(true);
    // Hashed, never plain (CONV-9).
    expect(accepted[0].event.user_data.em).toEqual([sha256(email)]);
    expect(JSON.stringify(accepted.slice(0, 50))).not.toContain(email);

    const rows = await eventually(async () => {
      const r = await ledgerRows(stack, definition.id);
      return r.filter((x) => x.status === 'sent').length >= EVENTS ? r : undefined;
    }, { timeoutMs: 20_000, what: 'ledger settled' });
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(EVENTS);

    // The first worker is gone; the second stops with the stack.
    (stack as { worker?: Worker }).worker = undefined;
    second.shutdown();
    await secondRun;
  });
});
