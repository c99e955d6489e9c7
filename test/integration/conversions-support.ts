import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Network } from '../../src/networks/types';
import { conversionStateQuery, conversionWorkflowId, type ConversionActivityRef } from '../../workflows/conversions-definitions';
import { signalConversionActivity } from '../../src/conversions/routing';
import type { TestSandboxes } from '../support/sandboxes';
import { eventually, type TestStack } from '../support/stack';
import { connectAccount, connectNetwork, seededAccountIds, seededUser } from '../support/tracking-helpers';

/** Shared steps of the conversion-event integration tests (issue 6). */

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export interface ConnectedNetwork {
  network: Network;
  seeded: any;
  /** The externalIds of the connected accounts, in seed order. */
  accountIds: string[];
}

/** Seeds the network and connects every seeded account through the API (OAuth → connection → accounts). */
export async function connectSeeded(stack: TestStack, sandboxes: TestSandboxes, network: Network, accounts = 1): Promise<ConnectedNetwork> {
  const seeded = await sandboxes.seed(network, { accounts, adsPerAccount: 2 });
  const connection = await connectNetwork(stack, sandboxes, network, seededUser(seeded));
  const accountIds: string[] = [];
  for (const id of seededAccountIds(network, seeded)) {
    const externalId = connection.adAccounts.find((a) => a.externalId === id || a.externalId === `act_${id}` || a.externalId.replace(/-/g, '') === id)?.externalId ?? id;
    const account = await connectAccount(stack, connection.id, externalId);
    accountIds.push(account.externalId);
  }
  return { network, seeded, accountIds };
}

/** LEAD-1 switch for an account: through the API when issue 5's route is there, else the model. */
export async function setLeadSync(stack: TestStack, network: Network, externalId: string, enabled: boolean): Promise<void> {
  const accountKey = `${network}:${externalId}`;
  const viaApi = await stack.request('POST', `/api/accounts/${encodeURIComponent(accountKey)}/lead-sync`, { enabled });
  if (viaApi.status >= 200 && viaApi.status < 300) return;
  await stack.db.models.LeadSyncAccount.updateOne({ _id: accountKey }, { $set: { network, enabled, changedAt: new Date() } }, { upsert: true });
}

export async function createForm(stack: TestStack, name = 'Contact us'): Promise<string> {
  const res = await stack.request('POST', '/api/forms', { name });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

export const newVisitorToken = () => randomBytes(16).toString('hex');
export const newSubmissionId = () => `sub_${randomUUID().replace(/-/g, '')}`;

export interface Submitted {
  submissionId: string;
  contactId: string;
}

/**
 * A visitor submits a form of this system through the public endpoint (issue 5), as the tracking
 * script does; returns the submission and the contact it became.
 */
export async function submitForm(
  stack: TestStack,
  formId: string,
  input: { email: string; fields?: Record<string, string>; pageUrl?: string; visitorToken?: string; submissionId?: string; userAgent?: string },
): Promise<Submitted> {
  const submissionId = input.submissionId ?? newSubmissionId();
  const res = await fetch(`${stack.api.url}/t/forms/${formId}/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': input.userAgent ?? 'Mozilla/5.0 (X11; Linux x86_64) AdtrackTest/1.0' },
    body: JSON.stringify({
      email: input.email,
      fields: input.fields ?? {},
      pageUrl: input.pageUrl ?? 'https://shop.example.com/contact',
      ...(input.visitorToken ? { visitorToken: input.visitorToken } : {}),
      submissionId,
    }),
  });
  const body: any = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(202);
  const submission = await stack.db.models.FormSubmission.findById(body.submissionId).lean();
  expect(submission, 'stored submission').toBeTruthy();
  return { submissionId: body.submissionId as string, contactId: submission!.contactId };
}

export async function setLifecycleStage(stack: TestStack, contactId: string, stage: string): Promise<void> {
  const res = await stack.request('PATCH', `/api/contacts/${contactId}`, { lifecycleStage: stage });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

export async function setContactProperties(stack: TestStack, contactId: string, properties: Record<string, string | null>): Promise<void> {
  const res = await stack.request('PATCH', `/api/contacts/${contactId}`, { properties });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

export async function createDefinition(stack: TestStack, body: Record<string, unknown>): Promise<any> {
  const res = await stack.request('POST', '/api/conversion-events', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export async function definitionDetails(stack: TestStack, id: string): Promise<any> {
  const res = await stack.request('GET', `/api/conversion-events/${id}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Waits until the definition's ledger shows at least these counts. */
export async function waitForCounts(stack: TestStack, id: string, want: Partial<Record<'sent' | 'failed' | 'skipped' | 'pending' | 'total', number>>, timeoutMs = 40_000): Promise<any> {
  let last: any;
  try {
    return await eventually(
      async () => {
        last = await definitionDetails(stack, id);
        return Object.entries(want).every(([k, v]) => last.counts[k] >= v) ? last : undefined;
      },
      { timeoutMs, intervalMs: 300, what: `ledger counts ${JSON.stringify(want)} for ${id}` },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen ${JSON.stringify({ counts: last?.counts, live: last?.live, lastError: last?.lastError })}`);
  }
}

/** Waits until the workflow has evaluated everything it received (nothing in intake, nothing queued). */
export async function waitForIdle(stack: TestStack, id: string, timeoutMs = 40_000): Promise<any> {
  return eventually(
    async () => {
      const live = await stack.client.workflow.getHandle(conversionWorkflowId(id)).query(conversionStateQuery);
      return live.intake === 0 && live.queued === 0 && live.deferred === 0 ? live : undefined;
    },
    { timeoutMs, intervalMs: 300, what: `conversion workflow ${id} idle` },
  );
}

/** The settled ledger rows of a definition (sent / failed / skipped; `_id` = event id). */
export async function ledgerRows(stack: TestStack, definitionId: string): Promise<any[]> {
  return stack.db.models.ConversionLedger.find({ definitionId, status: { $ne: 'pending' } }).lean();
}

/** Signals references straight to a definition's workflow (bulk producers; the API sends one per change). */
export async function signalRefs(stack: TestStack, definitionId: string, refs: ConversionActivityRef[]): Promise<void> {
  await signalConversionActivity(stack.client, stack.taskQueue, definitionId, refs);
}

export async function facebookAccepted(sandboxes: TestSandboxes, pixelId: string): Promise<any[]> {
  return (await sandboxes.control('facebook').get(`/_sandbox/conversions?pixelId=${pixelId}`)).accepted;
}

export async function facebookEventRequests(sandboxes: TestSandboxes, pixelId: string): Promise<any[]> {
  const { requests } = await sandboxes.control('facebook').get('/_sandbox/requests');
  return (requests as any[]).filter((r) => r.method === 'POST' && typeof r.path === 'string' && r.path.endsWith(`/${pixelId}/events`));
}
