import { describe, expect, it } from 'vitest';
import { conversionWorkflowId } from '../../workflows/conversions-definitions';
import { useSandboxes } from '../support/sandboxes';
import { eventually, useStack } from '../support/stack';
import {
  connectSeeded,
  createDefinition,
  definitionDetails,
  facebookAccepted,
  ledgerRows,
  setLeadSync,
  setLifecycleStage,
  signalRefs,
  type ConnectedNetwork,
} from './conversions-support';

/**
 * CONV-8 replace: a legacy Facebook lifecycle event is swapped for one on the enhanced Conversions
 * API while activity keeps coming — nothing is lost in the hand-over and nothing is sent twice (the
 * replacement inherits the event ids). And CONV-6 on the enterprise plan (100 lifecycle events).
 */
describe('conversion event replacement', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({
    env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '300', LEAD_POLL_INTERVAL_SECONDS: '2', PLAN_TIER: 'enterprise' }),
  });
  let fb: ConnectedNetwork;

  it('CONV-8 a legacy lifecycle event is replaced by an enhanced one without a gap or a double send', async () => {
    fb = await connectSeeded(stack, sandboxes, 'facebook');
    const account = fb.seeded.accounts[0];
    const pixelId: string = account.pixelId;
    const emails = [1, 2, 3, 4, 5, 6].map((i) => `replace.person${i}@example.org`);
    const pushed = await sandboxes.control('facebook').post('/_sandbox/leads', {
      formId: account.formIds[0],
      leads: emails.map((email, i) => ({ email, fullName: `Person ${i + 1}`, adId: fb.seeded.ads.byKind.lead[0] })),
    });
    await setLeadSync(stack, 'facebook', fb.accountIds[0]!, true);
    const leadIds: string[] = pushed.leads.map((l: any) => l.id);
    const contacts = await eventually(
      async () => {
        const found = await stack.db.models.Contact.find({ fbLeadId: { $in: leadIds } }).lean();
        return found.length === leadIds.length ? found : undefined;
      },
      { timeoutMs: 90_000, what: 'lead contacts' },
    );
    const c = leadIds.map((id) => contacts.find((x) => x.fbLeadId === id)!._id);

    const legacy = await createDefinition(stack, {
      name: 'Lifecycle (legacy)',
      network: 'facebook',
      adAccountId: fb.accountIds[0],
      trigger: { kind: 'lifecycle_stage', stages: ['marketingqualifiedlead', 'customer'] },
      pixelId,
      api: 'legacy',
    });
    expect(legacy.api).toBe('legacy');

    // Before: the legacy event sends.
    await setLifecycleStage(stack, c[0]!, 'marketingqualifiedlead');
    await eventually(async () => (await ledgerRows(stack, legacy.id)).some((r) => r.status === 'sent'), { timeoutMs: 30_000, what: 'legacy sends' });

    // Activity waiting in the legacy event's batch when the replacement happens …
    await setLifecycleStage(stack, c[1]!, 'marketingqualifiedlead');
    await setLifecycleStage(stack, c[2]!, 'marketingqualifiedlead');
    const replaced = await stack.request('POST', `/api/conversion-events/${legacy.id}/replace`, {});
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(201);
    const replacement = replaced.body.replacement;
    expect(replaced.body.replaced).toMatchObject({ id: legacy.id, status: 'replaced', replacedBy: replacement.id });
    expect(replacement).toMatchObject({
      api: 'enhanced',
      status: 'active',
      replaces: legacy.id,
      trigger: { kind: 'lifecycle_stage', stages: ['marketingqualifiedlead', 'customer'] },
      pixelId,
      activeFrom: legacy.activeFrom,
    });
    // … activity right after it …
    await setLifecycleStage(stack, c[3]!, 'marketingqualifiedlead');
    await setLifecycleStage(stack, c[4]!, 'marketingqualifiedlead');
    await setLifecycleStage(stack, c[0]!, 'customer');
    // … a stage the legacy event already sent, entered again: the same event, not sent again …
    await setLifecycleStage(stack, c[0]!, 'marketingqualifiedlead');
    // … and a late signal still addressed to the legacy event: handed over, not lost.
    await signalRefs(stack, legacy.id, [{ kind: 'lifecycle_stage', contactId: c[5]!, stage: 'marketingqualifiedlead', at: new Date().toISOString() }]);

    const expected = [
      [c[0], 'marketingqualifiedlead'],
      [c[1], 'marketingqualifiedlead'],
      [c[2], 'marketingqualifiedlead'],
      [c[3], 'marketingqualifiedlead'],
      [c[4], 'marketingqualifiedlead'],
      [c[0], 'customer'],
      [c[5], 'marketingqualifiedlead'],
    ];
    const rows = await eventually(
      async () => {
        const all = [...(await ledgerRows(stack, legacy.id)), ...(await ledgerRows(stack, replacement.id))];
        return all.filter((r) => r.status === 'sent').length >= expected.length ? all : undefined;
      },
      { timeoutMs: 40_000, what: 'all lifecycle events sent across the hand-over' },
    );
    for (const [contactId, stage] of expected) {
      expect(rows.filter((r) => r.contactId === contactId && r.stage === stage && r.status === 'sent'), `${contactId} ${stage}`).toHaveLength(1);
    }
    // The legacy event sent what it had before and during the hand-over; the replacement the rest.
    expect(rows.filter((r) => r.definitionId === legacy.id).map((r) => r.contactId)).toContain(c[0]);

    const accepted = await facebookAccepted(sandboxes, pixelId);
    const ids = accepted.map((e) => e.eventId);
    expect(ids).toHaveLength(expected.length);
    expect(new Set(ids).size).toBe(expected.length);
    expect(accepted.every((e) => e.duplicateOf === undefined)).toBe(true);
    expect(new Set(rows.map((r) => r.eventId))).toEqual(new Set(ids));

    // The legacy workflow handed over and ended; the replacement runs on.
    await eventually(async () => (await stack.client.workflow.getHandle(conversionWorkflowId(legacy.id)).describe()).status.name === 'COMPLETED', {
      what: 'legacy workflow ended',
    });
    expect((await stack.client.workflow.getHandle(conversionWorkflowId(replacement.id)).describe()).status.name).toBe('RUNNING');
    // The re-entered stage reached the replacement, which found the legacy event's row already sent.
    const replacementDetails = await definitionDetails(stack, replacement.id);
    expect(replacementDetails.live.duplicates).toBe(1);
    const firstMql = rows.find((r) => r.contactId === c[0] && r.stage === 'marketingqualifiedlead')!;
    expect(firstMql.definitionId).toBe(legacy.id);
    expect((await stack.db.models.ConversionLedger.findById(firstMql.eventId).lean())!.seen).toBe(2);

    // What the admin sees, and what is no longer allowed.
    const legacyDetails = await definitionDetails(stack, legacy.id);
    expect(legacyDetails).toMatchObject({ status: 'replaced', replacedBy: replacement.id });
    expect((await stack.request('PATCH', `/api/conversion-events/${legacy.id}`, { enabled: false })).status).toBe(409);
    const again = await stack.request('POST', `/api/conversion-events/${legacy.id}/replace`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('not_replaceable');
    expect((await stack.request('POST', `/api/conversion-events/${replacement.id}/replace`, {})).status).toBe(409);
  });

  it('CONV-6 enterprise plan: at most 100 lifecycle-stage events', async () => {
    const active = await stack.db.models.ConversionDefinition.find({ status: 'active' }).lean();
    let remaining = 100 - active.reduce((n, d) => n + (d.trigger.kind === 'lifecycle_stage' ? d.trigger.stages.length : 0), 0);
    const stages = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist'];
    const definition = (n: number) => ({ network: 'facebook', adAccountId: fb.accountIds[0], pixelId: fb.seeded.accounts[0].pixelId, trigger: { kind: 'lifecycle_stage', stages: stages.slice(0, n) } });
    while (remaining > 0) {
      const n = Math.min(7, remaining);
      await createDefinition(stack, definition(n));
      remaining -= n;
    }
    const over = await stack.request('POST', '/api/conversion-events', definition(1));
    expect(over.status).toBe(403);
    expect(over.body.error.code).toBe('plan_limit_reached');
    expect(over.body.error.message).toMatch(/enterprise plan allows 100/);
  });
});
