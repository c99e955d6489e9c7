import { describe, expect, it } from 'vitest';
import { connectWorkflowId } from '../../workflows/account-definitions';
import { conversionWorkflowId } from '../../workflows/conversions-definitions';
import { leadsNotifiedSignal, leadSyncWorkflowId } from '../../workflows/lead-sync-definitions';
import { useSandboxes } from '../support/sandboxes';
import { eventually, useStack } from '../support/stack';
import { FIXTURE_KEYS_ENV, recordFixtureIfAsked, replay } from '../support/replay';
import { seedAndConnect } from '../support/tracking-helpers';
import { createDefinition, createForm, facebookAccepted, newVisitorToken, submitForm, waitForCounts } from './conversions-support';

/**
 * OPS-3: live histories of the lead-sync, conversion and connect workflows replay with today's code,
 * and are the recordings behind their append-only fixtures (`RECORD_REPLAY_FIXTURES=1`, see
 * test/support/replay.ts and README "Changing a workflow").
 */
describe('lead sync, conversions and connect workflow replay', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({
    env: () => ({
      ...sandboxes.running.env,
      ENCRYPTION_KEYS: FIXTURE_KEYS_ENV,
      SWEEP_INTERVAL_SECONDS: '3600',
      LEAD_POLL_INTERVAL_SECONDS: '1',
      LEAD_RECONCILE_INTERVAL_SECONDS: '2',
    }),
  });
  const s = {} as { account: { id: string; externalId: string }; connectionId: string; seeded: any };

  it('connect: code exchange and the reachable accounts replay', async () => {
    const { seeded, connection, account } = await seedAndConnect(stack, sandboxes, 'facebook', { seed: 4071, accounts: 1, adsPerAccount: 4 });
    Object.assign(s, { seeded, account, connectionId: connection.id });
    const workflowId = connectWorkflowId('facebook', connection.id);
    const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    await replay(history, workflowId);
    recordFixtureIfAsked('connect', 'exchange-and-list-accounts', workflowId, history);
  });

  it('LEAD-1/LEAD-2 lead sync: polls, a webhook wake-up, reconciliations and the stop replay', async () => {
    const { account, seeded } = s;
    const formId = seeded.accounts[0].formIds[0] as string;
    expect((await stack.request('POST', `/api/accounts/${encodeURIComponent(account.id)}/lead-sync`, { enabled: true })).status).toBe(200);
    const workflowId = leadSyncWorkflowId('facebook', account.externalId);
    const fb = sandboxes.control('facebook');
    await fb.post('/_sandbox/leads', { formId, leads: Array.from({ length: 3 }, (_, i) => ({ email: `replay${i}@example.com`, fullName: `Replay Person${i}` })) });
    const atNetwork = (await fb.get(`/_sandbox/leads?formId=${formId}`)).leads.length as number;
    await stack.client.workflow.getHandle(workflowId).signal(leadsNotifiedSignal, {});
    await eventually(async () => (await stack.db.models.Lead.countDocuments({ accountKey: account.id, formId })) === atNetwork, { what: 'the leads stored' });
    expect((await stack.request('POST', `/api/accounts/${encodeURIComponent(account.id)}/lead-sync/reconcile`, { formId })).status).toBeLessThan(300);
    await eventually(async () => {
      const body = (await stack.request('GET', `/api/accounts/${encodeURIComponent(account.id)}/lead-sync`)).body;
      return body.lastReconcileAt && body.forms.some((f: { formId: string; leadsAtNetwork: number }) => f.formId === formId && f.leadsAtNetwork === atNetwork);
    }, { what: 'a reconciliation' });
    expect((await stack.request('POST', `/api/accounts/${encodeURIComponent(account.id)}/lead-sync`, { enabled: false })).status).toBe(200);
    const handle = stack.client.workflow.getHandle(workflowId);
    await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', { what: 'lead sync to stop' });
    const history = await handle.fetchHistory();
    await replay(history, workflowId);
    recordFixtureIfAsked('lead-sync', 'poll-webhook-reconcile-stop', workflowId, history);
  });

  it('CONV-1/CONV-8 conversions: activity, a batch, switch off and on, delete replay', async () => {
    const formId = await createForm(stack, 'Replay demo');
    const definition = await createDefinition(stack, {
      network: 'facebook',
      adAccountId: s.account.externalId,
      pixelId: s.seeded.accounts[0].pixelId,
      trigger: { kind: 'form_submission', formId },
    });
    const visitorToken = newVisitorToken();
    await submitForm(stack, formId, { email: 'replay.one@example.com', visitorToken });
    await submitForm(stack, formId, { email: 'replay.two@example.com' });
    await waitForCounts(stack, definition.id, { sent: 2 });
    expect((await stack.request('PATCH', `/api/conversion-events/${definition.id}`, { enabled: false })).status).toBe(200);
    await submitForm(stack, formId, { email: 'replay.three@example.com' });
    expect((await stack.request('PATCH', `/api/conversion-events/${definition.id}`, { enabled: true })).status).toBe(200);
    await submitForm(stack, formId, { email: 'replay.four@example.com' });
    await waitForCounts(stack, definition.id, { sent: 3 });
    expect((await facebookAccepted(sandboxes, s.seeded.accounts[0].pixelId)).length).toBeGreaterThanOrEqual(3);
    expect((await stack.request('DELETE', `/api/conversion-events/${definition.id}`)).status).toBe(200);
    const workflowId = conversionWorkflowId(definition.id);
    const handle = stack.client.workflow.getHandle(workflowId);
    await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', { what: 'the conversion workflow to end' });
    const history = await handle.fetchHistory();
    await replay(history, workflowId);
    recordFixtureIfAsked('conversions', 'batch-switch-off-on-delete', workflowId, history);
  });
});
