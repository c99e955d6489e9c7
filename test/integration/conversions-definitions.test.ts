import { describe, expect, it } from 'vitest';
import { conversionWorkflowId } from '../../workflows/conversions-definitions';
import { useSandboxes } from '../support/sandboxes';
import { eventually, useStack } from '../support/stack';
import { connectSeeded, createDefinition, createForm, definitionDetails, ledgerRows, setLeadSync, signalRefs, type ConnectedNetwork } from './conversions-support';

/**
 * Conversion-event definitions over the admin API (issue 6): what can be defined (CONV-1, CONV-2,
 * CONV-5), the preconditions with clear errors (CONV-3), the plan limit (CONV-6, professional), and
 * listing / inspecting / switching / deleting (CONV-8). Sends are covered in conversions-facebook and
 * conversions-networks.
 */
describe('conversion-event definitions', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '300', PLAN_TIER: 'professional' }) });

  let fb: ConnectedNetwork;
  let google: ConnectedNetwork;
  let linkedin: ConnectedNetwork;
  let formId: string;
  const state = { ready: false };

  async function setup() {
    if (state.ready) return;
    // Two Facebook accounts: the seed leaves the last one outside any Business Manager.
    fb = await connectSeeded(stack, sandboxes, 'facebook', 2);
    google = await connectSeeded(stack, sandboxes, 'google');
    linkedin = await connectSeeded(stack, sandboxes, 'linkedin');
    formId = await createForm(stack, 'Demo request');
    state.ready = true;
  }

  const fbLifecycle = (extra: Record<string, unknown> = {}) => ({
    network: 'facebook',
    adAccountId: fb.accountIds[0],
    trigger: { kind: 'lifecycle_stage', stages: ['marketingqualifiedlead'] },
    pixelId: fb.seeded.accounts[0].pixelId,
    ...extra,
  });

  it('CONV-3 Facebook lifecycle events need lead sync on, a pixel, and a Business Manager — each refused with a clear error', async () => {
    await setup();
    await setLeadSync(stack, 'facebook', fb.accountIds[0]!, false);
    const leadSyncOff = await stack.request('POST', '/api/conversion-events', fbLifecycle());
    expect(leadSyncOff.status).toBe(409);
    expect(leadSyncOff.body.error.code).toBe('lead_sync_off');
    expect(leadSyncOff.body.error.message).toMatch(/lead sync/i);

    await setLeadSync(stack, 'facebook', fb.accountIds[0]!, true);
    const noPixel = await stack.request('POST', '/api/conversion-events', fbLifecycle({ pixelId: undefined }));
    expect(noPixel.status).toBe(422);
    expect(noPixel.body.error.code).toBe('pixel_required');
    expect(noPixel.body.error.details.problems[0]).toMatchObject({ field: 'pixelId' });

    // The second account belongs to no Business Manager (a form event: lead sync is not needed there).
    const noBusiness = await stack.request('POST', '/api/conversion-events', {
      network: 'facebook',
      adAccountId: fb.accountIds[1],
      trigger: { kind: 'form_submission', formId },
      pixelId: fb.seeded.accounts[1].pixelId,
    });
    expect(noBusiness.status).toBe(409);
    expect(noBusiness.body.error.code).toBe('no_business_manager');
    expect(noBusiness.body.error.message).toMatch(/Business Manager/);

    const notConnected = await stack.request('POST', '/api/conversion-events', fbLifecycle({ adAccountId: 'act_999999' }));
    expect(notConnected.status).toBe(409);
    expect(notConnected.body.error.code).toBe('ad_account_not_connected');

    const ok = await stack.request('POST', '/api/conversion-events', fbLifecycle());
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ network: 'facebook', enabled: true, status: 'active', api: 'enhanced', trigger: { kind: 'lifecycle_stage', stages: ['marketingqualifiedlead'] } });
  });

  it('CONV-2 the stage "other" cannot trigger; forms must be forms of this system; each selected stage is one event', async () => {
    await setup();
    const other = await stack.request('POST', '/api/conversion-events', fbLifecycle({ trigger: { kind: 'lifecycle_stage', stages: ['customer', 'other'] } }));
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('stage_not_supported');

    const foreignForm = await stack.request('POST', '/api/conversion-events', {
      network: 'facebook',
      adAccountId: fb.accountIds[0],
      trigger: { kind: 'form_submission', formId: 'hubspot-form-from-elsewhere' },
      pixelId: fb.seeded.accounts[0].pixelId,
    });
    expect(foreignForm.status).toBe(422);
    expect(foreignForm.body.error.code).toBe('form_not_eligible');
    expect(foreignForm.body.error.message).toMatch(/not a form of this system/);

    const ownForm = await createDefinition(stack, {
      network: 'facebook',
      adAccountId: fb.accountIds[0],
      trigger: { kind: 'form_submission', formId },
      pixelId: fb.seeded.accounts[0].pixelId,
    });
    expect(ownForm.trigger).toEqual({ kind: 'form_submission', formId });

    const badTrigger = await stack.request('POST', '/api/conversion-events', fbLifecycle({ trigger: { kind: 'page_view' } }));
    expect(badTrigger.status).toBe(422);
    expect(badTrigger.body.error.code).toBe('trigger_invalid');
  });

  it('CONV-1 / CONV-5 definitions per network with their options; wrong options are refused', async () => {
    await setup();
    const form = await createDefinition(stack, {
      name: 'Demo requests',
      network: 'facebook',
      adAccountId: fb.accountIds[0],
      trigger: { kind: 'form_submission', formId },
      eventName: 'SubmitApplication',
      value: 25,
      currency: 'eur',
      predictiveLeadScore: true,
      consent: { property: 'ads_consent', value: 'yes' },
      sharedFields: { ipAddress: false, firstName: true },
      pixelId: fb.seeded.accounts[0].pixelId,
    });
    expect(form).toMatchObject({
      name: 'Demo requests',
      eventName: 'SubmitApplication',
      value: 25,
      currency: 'EUR',
      predictiveLeadScore: true,
      consent: { property: 'ads_consent', value: 'yes' },
      sharedFields: { email: true, ipAddress: false, firstName: true, userAgent: true, actionSource: true, eventSourceUrl: true },
    });

    const mandatoryRemoved = await stack.request('POST', '/api/conversion-events', {
      network: 'facebook',
      adAccountId: fb.accountIds[0],
      trigger: { kind: 'form_submission', formId },
      sharedFields: { userAgent: false },
      pixelId: fb.seeded.accounts[0].pixelId,
    });
    expect(mandatoryRemoved.status).toBe(422);
    expect(mandatoryRemoved.body.error.code).toBe('mandatory_field_removed');

    const valueWithoutCurrency = await stack.request('POST', '/api/conversion-events', { ...fbLifecycle(), value: 10 });
    expect(valueWithoutCurrency.status).toBe(422);
    expect(valueWithoutCurrency.body.error.code).toBe('value_without_currency');

    const googleEvent = await createDefinition(stack, {
      network: 'google',
      adAccountId: google.accountIds[0],
      trigger: { kind: 'lifecycle_stage', stages: ['customer'] },
      conversionActionId: google.seeded.conversionActionIds[0],
      value: 1500,
      currency: 'USD',
    });
    expect(googleEvent.conversionAction).toBe(`customers/${google.accountIds[0]}/conversionActions/${google.seeded.conversionActionIds[0]}`);
    const googleWithoutAction = await stack.request('POST', '/api/conversion-events', { network: 'google', adAccountId: google.accountIds[0], trigger: { kind: 'form_submission', formId } });
    expect(googleWithoutAction.status).toBe(422);
    expect(googleWithoutAction.body.error.code).toBe('conversion_action_required');

    const linkedInEvent = await createDefinition(stack, {
      network: 'linkedin',
      adAccountId: linkedin.accountIds[0],
      trigger: { kind: 'form_submission', formId },
      conversionRuleId: linkedin.seeded.accounts[0].conversionRuleIds[0],
    });
    expect(linkedInEvent.conversionRule).toBe(`urn:lla:llaPartnerConversion:${linkedin.seeded.accounts[0].conversionRuleIds[0]}`);
    const linkedInScore = await stack.request('POST', '/api/conversion-events', {
      network: 'linkedin',
      adAccountId: linkedin.accountIds[0],
      trigger: { kind: 'form_submission', formId },
      conversionRuleId: 'not-a-rule',
      predictiveLeadScore: true,
    });
    expect(linkedInScore.status).toBe(422);
    expect(linkedInScore.body.error.details.problems.map((p: any) => p.code).sort()).toEqual(['CONVERSION_RULE_INVALID', 'OPTION_NOT_FOR_NETWORK']);

    const unknownNetwork = await stack.request('POST', '/api/conversion-events', { network: 'tiktok', adAccountId: '1', trigger: { kind: 'form_submission', formId } });
    expect(unknownNetwork.status).toBe(422);
    expect(unknownNetwork.body.error.code).toBe('network_unsupported');

    const badShape = await stack.request('POST', '/api/conversion-events', { network: 'facebook', trigger: 'form' });
    expect(badShape.status).toBe(400);
    expect(badShape.body.error.code).toBe('validation_failed');

    const legacyForm = await stack.request('POST', '/api/conversion-events', { network: 'linkedin', adAccountId: linkedin.accountIds[0], trigger: { kind: 'form_submission', formId }, conversionRuleId: '1', api: 'legacy' });
    expect(legacyForm.status).toBe(422);
    expect(legacyForm.body.error.code).toBe('api_not_supported');
  });

  it('CONV-8 events are listed, inspected (details, counts, last error, live workflow), switched off and on, and deleted', async () => {
    await setup();
    const created = await createDefinition(stack, fbLifecycle({ name: 'Customers', trigger: { kind: 'lifecycle_stage', stages: ['customer'] } }));
    const handle = stack.client.workflow.getHandle(conversionWorkflowId(created.id));
    expect((await handle.describe()).status.name).toBe('RUNNING');

    const list = await stack.request('GET', '/api/conversion-events');
    expect(list.status).toBe(200);
    expect(list.body.items.map((d: any) => d.id)).toContain(created.id);

    // The workflow reads its definition first thing; its live state answers from then on.
    const details = await eventually(async () => {
      const d = await definitionDetails(stack, created.id);
      return d.live?.network ? d : undefined;
    }, { what: 'live workflow state' });
    expect(details).toMatchObject({ id: created.id, name: 'Customers', enabled: true, lastError: null, workflowId: `conversions/${created.id}` });
    expect(details.counts).toMatchObject({ sent: 0, failed: 0, skipped: 0, pending: 0, reasons: [] });
    expect(details.live).toMatchObject({ definitionId: created.id, enabled: true, phase: 'running', network: 'facebook' });

    const off = await stack.request('PATCH', `/api/conversion-events/${created.id}`, { enabled: false });
    expect(off.status).toBe(200);
    expect(off.body.enabled).toBe(false);
    await eventually(async () => (await definitionDetails(stack, created.id)).live?.enabled === false, { what: 'workflow switched off' });
    const on = await stack.request('PATCH', `/api/conversion-events/${created.id}`, { enabled: true });
    expect(on.body.enabled).toBe(true);
    await eventually(async () => (await definitionDetails(stack, created.id)).live?.enabled === true, { what: 'workflow switched on' });
    expect((await stack.request('PATCH', `/api/conversion-events/${created.id}`, { enabled: 'yes' })).status).toBe(400);

    const deleted = await stack.request('DELETE', `/api/conversion-events/${created.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.status).toBe('deleted');
    await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', { what: 'workflow ended after delete' });
    expect((await stack.request('GET', `/api/conversion-events/${created.id}`)).status).toBe(404);
    expect((await stack.request('GET', '/api/conversion-events')).body.items.map((d: any) => d.id)).not.toContain(created.id);
    expect((await stack.request('DELETE', `/api/conversion-events/${created.id}`)).status).toBe(404);
    expect((await stack.request('GET', '/api/conversion-events/does-not-exist')).status).toBe(404);
  });

  it('CONV-6 professional plan: at most 50 lifecycle-stage events, each selected stage counting once', async () => {
    await setup();
    const { models } = stack.db;
    const active = await models.ConversionDefinition.find({ status: 'active' }).lean();
    const used = active.reduce((n, d) => n + (d.trigger.kind === 'lifecycle_stage' ? d.trigger.stages.length : 0), 0);
    const allStages = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist'];
    let remaining = 50 - used;
    while (remaining > 0) {
      const stages = allStages.slice(0, Math.min(7, remaining));
      await createDefinition(stack, fbLifecycle({ trigger: { kind: 'lifecycle_stage', stages } }));
      remaining -= stages.length;
    }
    const over = await stack.request('POST', '/api/conversion-events', fbLifecycle());
    expect(over.status).toBe(403);
    expect(over.body.error.code).toBe('plan_limit_reached');
    expect(over.body.error.message).toMatch(/professional plan allows 50/);
    // Form events do not count against the lifecycle limit.
    await createDefinition(stack, { network: 'facebook', adAccountId: fb.accountIds[0], trigger: { kind: 'form_submission', formId }, pixelId: fb.seeded.accounts[0].pixelId });
    // Deleting one frees its stages.
    const some = (await stack.request('GET', '/api/conversion-events')).body.items.find((d: any) => d.trigger.kind === 'lifecycle_stage' && d.trigger.stages.length === 1);
    expect((await stack.request('DELETE', `/api/conversion-events/${some.id}`)).status).toBe(200);
    await createDefinition(stack, fbLifecycle());
  });

  it('OPS-3 the workflow history stays bounded: it continues as new and carries what it has not handled yet', async () => {
    await setup();
    const definition = await createDefinition(stack, { network: 'facebook', adAccountId: fb.accountIds[0], trigger: { kind: 'form_submission', formId }, pixelId: fb.seeded.accounts[0].pixelId });
    // 600 separate signals, one reference each (as the router sends them), for contacts that do not
    // exist: every one is evaluated and recorded (skipped), none is lost across runs.
    const at = new Date(Date.parse(definition.createdAt) + 1_000).toISOString();
    for (let chunk = 0; chunk < 6; chunk++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) => {
          const i = chunk * 100 + j;
          return signalRefs(stack, definition.id, [{ kind: 'form_submission', contactId: `ghost-${i}`, formId, submissionId: `ghost-sub-${i}`, at }]);
        }),
      );
    }
    const rows = await eventually(
      async () => {
        const r = await ledgerRows(stack, definition.id);
        return r.length >= 600 ? r : undefined;
      },
      { timeoutMs: 40_000, what: 'all 600 references evaluated' },
    );
    expect(rows.every((r) => r.status === 'skipped' && r.reason.code === 'CONTACT_NOT_FOUND')).toBe(true);
    const live = (await definitionDetails(stack, definition.id)).live;
    expect(live.generation).toBeGreaterThanOrEqual(1);
    expect(live.skipped).toBe(600);
    const handle = stack.client.workflow.getHandle(`conversions/${definition.id}`);
    const history = await handle.fetchHistory();
    expect(history.events!.length).toBeLessThan(400);
  });
});
