/**
 * P6: N qualifying form submissions of one conversion definition → Facebook Conversions API
 * requests (at most 1,000 events each, Meta's documented maximum) and events delivered per second.
 * As test/integration/conversions-burst.test.ts does, the submissions are written through the
 * models and the definition's workflow is signalled with the activity references in groups of 1,000.
 */
import { randomUUID } from 'node:crypto';
import { signalConversionActivity } from '../../src/conversions/routing';
import type { ConversionActivityRef } from '../../workflows/conversions-definitions';
import { connectFacebookAccounts, stopAllWorkflows, until, waitForFirstSweeps } from '../accounts';
import type { BenchStack } from '../harness';
import type { BenchRow } from '../table';
import type { Scenario } from './types';

const FACEBOOK_EVENTS_PER_REQUEST = 1_000;

async function pixelRequests(stack: BenchStack, pixelId: string): Promise<{ requests: number; accepted: number }> {
  const log = (await (await fetch(`${stack.sandboxes.urls.facebook}/_sandbox/requests`)).json()) as { requests: { method: string; path: string }[] };
  const accepted = (await (await fetch(`${stack.sandboxes.urls.facebook}/_sandbox/conversions?pixelId=${pixelId}`)).json()) as { accepted: unknown[] };
  return { requests: log.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/${pixelId}/events`)).length, accepted: accepted.accepted.length };
}

export const p6: Scenario = {
  id: 'P6',
  title: 'conversions burst → network requests',
  sizes: { full: [10_000], quick: [500] },
  async run(stack: BenchStack, events: number, { seed }): Promise<BenchRow[]> {
    await stopAllWorkflows(stack);
    const { accountKeys, externalIds, pixelIds } = await connectFacebookAccounts(stack, { seed, accounts: 1, adsPerAccount: 2 });
    await waitForFirstSweeps(stack, accountKeys, 120_000);
    const pixelId = pixelIds[0]!;
    const { models } = stack.db;
    const formId = `bench-form-${randomUUID()}`;
    await models.Form.create({ _id: formId, name: 'Bench form' });
    const contactId = randomUUID();
    const email = `bench.${contactId.slice(0, 8)}@example.com`;
    await models.Contact.create({ _id: contactId, email, emails: [email], lifecycleStage: 'lead', properties: {} });
    const created = await stack.request('POST', '/api/conversion-events', { network: 'facebook', adAccountId: externalIds[0], trigger: { kind: 'form_submission', formId }, pixelId });
    if (created.status !== 201) throw new Error(`definition: ${created.status} ${JSON.stringify(created.body)}`);
    const definition = created.body as { id: string; createdAt: string };

    const at = Date.parse(definition.createdAt) + 1_000;
    const refs: ConversionActivityRef[] = [];
    const submissions = [];
    for (let i = 0; i < events; i += 1) {
      const submissionId = `bench-${i}-${contactId.slice(0, 8)}`;
      refs.push({ kind: 'form_submission', contactId, formId, submissionId, at: new Date(at + i).toISOString() });
      submissions.push({ _id: submissionId, formId, contactId, email, fields: {}, pageUrl: 'https://shop.example.com/offer', userAgent: 'bench', ip: '203.0.113.9', at: new Date(at + i), rule: 'email_match', explanation: 'bench' });
    }
    for (let i = 0; i < submissions.length; i += 2_000) await models.FormSubmission.insertMany(submissions.slice(i, i + 2_000), { ordered: false });

    const startedAt = Date.now();
    for (let i = 0; i < refs.length; i += 1_000) await signalConversionActivity(stack.temporal, stack.taskQueue, definition.id, refs.slice(i, i + 1_000));
    const done = await until('every event at Facebook', async () => {
      const counts = await pixelRequests(stack, pixelId);
      return counts.accepted >= events ? counts : undefined;
    }, 120_000 + events * 20, 500);
    const seconds = (Date.now() - startedAt) / 1000;
    await stopAllWorkflows(stack);
    const size = `${events} events`;
    return [
      { scenario: 'P6', what: 'Conversions API requests', size, value: done.requests, unit: 'requests', reference: { value: Math.ceil(events / FACEBOOK_EVENTS_PER_REQUEST), label: '1,000 events per request' } },
      { scenario: 'P6', what: 'events delivered', size, value: done.accepted / seconds, unit: 'events/s', note: `${done.accepted} accepted` },
    ];
  },
};
