import { execFileSync } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { eventually, useStack } from '../support/stack';

const SECRET = `tok-${'s3cr3t'.repeat(4)}-${Date.now()}`;

describe('smoke pipeline: API → workflow → activity → database → query → signal → visibility', () => {
  const stack = useStack();

  it('runs end to end and is found by AdNetwork, with the secret encrypted in the history (OPS-1, OPS-3)', async () => {
    const accountId = `smoke-${Date.now()}`;
    const started = await stack.request('POST', '/api/smoke-runs', { network: 'facebook', accountId, secret: SECRET });
    expect(started.status).toBe(202);
    const { id, workflowId } = started.body as { id: string; workflowId: string };

    // The activity wrote the run to the database (keyed by workflow id, secret stored only as a digest).
    const record = await eventually(() => stack.db.models.SmokeRun.findById(workflowId).lean(), { what: 'smoke run record' });
    expect(record.secretDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(record)).not.toContain(SECRET);

    const state = await eventually(async () => {
      const res = await stack.request('GET', `/api/smoke-runs/${id}`);
      return res.body?.state?.step === 'recorded' ? res.body.state : undefined;
    }, { what: 'recorded state' });
    expect(state.recordId).toBe(workflowId);

    expect((await stack.request('POST', `/api/smoke-runs/${id}/ping`, { message: 'hello' })).status).toBe(202);
    const pinged = await eventually(async () => {
      const res = await stack.request('GET', `/api/smoke-runs/${id}`);
      return res.body?.state?.pings === 1 ? res.body.state : undefined;
    }, { what: 'ping applied' });
    expect(pinged.step).toBe('pinged');

    // Visibility: the operator's filter on the custom search attribute finds it.
    const found = await eventually(async () => {
      for await (const wf of stack.client.workflow.list({ query: `AdNetwork="facebook" AND AdAccountId="${accountId}"` })) {
        if (wf.workflowId === workflowId) return wf;
      }
      return undefined;
    }, { what: 'visibility query' });
    expect(found.typedSearchAttributes).toBeDefined();

    await stack.request('POST', `/api/smoke-runs/${id}/finish`);
    const result = await stack.client.workflow.getHandle(workflowId).result();
    expect(result.step).toBe('finished');

    // The raw history, read without the codec by the real CLI, never shows the secret in plain text.
    const raw = execFileSync(inject('temporalCliPath'), ['workflow', 'show', '--address', inject('temporalAddress'), '-w', workflowId, '-o', 'json'], { encoding: 'utf8' });
    expect(raw).toContain(Buffer.from('binary/encrypted').toString('base64'));
    expect(raw).not.toContain(SECRET);
    expect(raw).not.toContain(Buffer.from(SECRET).toString('base64'));

    // The codec endpoint decodes the encrypted start input back to the secret.
    const history = JSON.parse(raw) as { events: { workflowExecutionStartedEventAttributes?: { input: { payloads: unknown[] } } }[] };
    const input = history.events[0]?.workflowExecutionStartedEventAttributes?.input.payloads;
    const decoded = await stack.request('POST', '/codec/decode', { payloads: input });
    expect(decoded.status).toBe(200);
    const payload = (decoded.body as { payloads: { data: string }[] }).payloads[0]!;
    expect(JSON.parse(Buffer.from(payload.data, 'base64').toString()).secret).toBe(SECRET);
  });
});
