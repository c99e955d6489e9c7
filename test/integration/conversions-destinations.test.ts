import { describe, expect, it } from 'vitest';
import { useSandboxes } from '../support/sandboxes';
import { useStack } from '../support/stack';
import { connectSeeded, createDefinition, createForm, setLeadSync, type ConnectedNetwork } from './conversions-support';

/**
 * Issue 15 item 8b: a conversion event's destination — the Facebook pixel, the Google conversion
 * action, the LinkedIn conversion rule — is read back from the network (the sandboxes, over HTTP,
 * answering as the documented read endpoints do) with the account's token when the definition is
 * created or replaced. A wrong one is refused naming the field and nothing is stored; a network that
 * cannot answer is a 503, never a silent accept.
 */
describe('conversion-event destinations are checked with the network (CONV-1, issue 15 item 8b)', () => {
  const sandboxes = useSandboxes();
  const stack = useStack({ env: () => ({ ...sandboxes.running.env, SWEEP_INTERVAL_SECONDS: '300' }) });

  let fb: ConnectedNetwork;
  let google: ConnectedNetwork;
  let linkedin: ConnectedNetwork;
  let formId: string;
  const state = { ready: false };

  async function setup() {
    if (state.ready) return;
    fb = await connectSeeded(stack, sandboxes, 'facebook');
    google = await connectSeeded(stack, sandboxes, 'google');
    linkedin = await connectSeeded(stack, sandboxes, 'linkedin');
    formId = await createForm(stack, 'Destination checks');
    state.ready = true;
  }

  const stored = () => stack.db.models.ConversionDefinition.countDocuments({});
  const formEvent = (network: string, adAccountId: string | undefined, extra: Record<string, unknown>) => ({ network, adAccountId, trigger: { kind: 'form_submission', formId }, ...extra });

  async function expectRefused(body: Record<string, unknown>, status: number, code: string, field: string) {
    const before = await stored();
    const res = await stack.request('POST', '/api/conversion-events', body);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.details.problems).toEqual([expect.objectContaining({ field })]);
    expect(await stored()).toBe(before);
    return res;
  }

  it('Facebook: a pixel the network does not know is refused naming pixelId; the seeded pixel is accepted', async () => {
    await setup();
    await expectRefused(formEvent('facebook', fb.accountIds[0], { pixelId: '99999999999999' }), 422, 'pixel_not_found', 'pixelId');
    const ok = await createDefinition(stack, formEvent('facebook', fb.accountIds[0], { pixelId: fb.seeded.accounts[0].pixelId }));
    expect(ok.pixelId).toBe(fb.seeded.accounts[0].pixelId);
  });

  it('Google: an unknown conversion action and one that takes no uploads are refused naming conversionActionId; an UPLOAD_CLICKS action is accepted', async () => {
    await setup();
    await expectRefused(formEvent('google', google.accountIds[0], { conversionActionId: '12345' }), 422, 'conversion_action_not_found', 'conversionActionId');
    const world = await sandboxes.control('google').get('/_sandbox/state');
    const customerId = google.accountIds[0]!.replace(/-/g, '');
    const notForUploads = world.conversionActions.find((a: any) => a.customerId === customerId && a.type !== 'UPLOAD_CLICKS');
    expect(notForUploads, 'the seed has a conversion action of another type').toBeTruthy();
    await expectRefused(formEvent('google', google.accountIds[0], { conversionActionId: notForUploads.id }), 422, 'conversion_action_not_usable', 'conversionActionId');
    const ok = await createDefinition(stack, formEvent('google', google.accountIds[0], { conversionActionId: google.seeded.conversionActionIds[0] }));
    expect(ok.conversionAction).toBe(`customers/${customerId}/conversionActions/${google.seeded.conversionActionIds[0]}`);
  });

  it('LinkedIn: an unknown conversion rule is refused naming conversionRuleId; the account rule is accepted', async () => {
    await setup();
    await expectRefused(formEvent('linkedin', linkedin.accountIds[0], { conversionRuleId: '987654321' }), 422, 'conversion_rule_not_found', 'conversionRuleId');
    const rule = linkedin.seeded.accounts[0].conversionRuleIds[0];
    const ok = await createDefinition(stack, formEvent('linkedin', linkedin.accountIds[0], { conversionRuleId: rule }));
    expect(ok.conversionRule).toBe(`urn:lla:llaPartnerConversion:${rule}`);
  });

  it('a network outage while checking answers 503 network_unavailable with Retry-After and stores nothing', async () => {
    await setup();
    const body = formEvent('linkedin', linkedin.accountIds[0], { conversionRuleId: linkedin.seeded.accounts[0].conversionRuleIds[0] });
    const before = await stored();
    await sandboxes.control('linkedin').put('/_sandbox/faults', { transientErrorRate: 1 });
    let res: Response;
    try {
      res = await fetch(`${stack.api.url}/api/conversion-events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.config.ADMIN_API_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } finally {
      await sandboxes.control('linkedin').put('/_sandbox/faults', { transientErrorRate: 0 });
    }
    const answer: any = await res.json();
    expect(res.status, JSON.stringify(answer)).toBe(503);
    expect(answer.error).toMatchObject({ code: 'network_unavailable', details: { problems: [{ field: 'conversionRuleId' }] } });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await stored()).toBe(before);
    // Once the network answers again the same definition goes through.
    expect((await stack.request('POST', '/api/conversion-events', body)).status).toBe(201);
  });

  it('CONV-8 replacing a legacy event checks the new pixel too', async () => {
    await setup();
    await setLeadSync(stack, 'facebook', fb.accountIds[0]!, true);
    const legacy = await createDefinition(stack, {
      network: 'facebook',
      adAccountId: fb.accountIds[0],
      trigger: { kind: 'lifecycle_stage', stages: ['customer'] },
      pixelId: fb.seeded.accounts[0].pixelId,
      api: 'legacy',
    });
    const wrong = await stack.request('POST', `/api/conversion-events/${legacy.id}/replace`, { pixelId: '88888888888888' });
    expect(wrong.status, JSON.stringify(wrong.body)).toBe(422);
    expect(wrong.body.error).toMatchObject({ code: 'pixel_not_found', details: { problems: [{ field: 'pixelId' }] } });
    expect((await stack.request('GET', `/api/conversion-events/${legacy.id}`)).body).toMatchObject({ status: 'active', replacedBy: null });
    const replaced = await stack.request('POST', `/api/conversion-events/${legacy.id}/replace`, {});
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(201);
  });
});
