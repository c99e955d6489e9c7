import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';

const envelope = expect.objectContaining({
  error: expect.objectContaining({ code: expect.any(String), message: expect.any(String), details: expect.anything() }),
});

describe('API edge: authentication, error envelope, health', () => {
  const stack = useStack();

  it('GET /healthz answers without a token; GET /readyz reports Temporal and the database', async () => {
    expect((await fetch(`${stack.api.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${stack.api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { temporal: true, database: true } });
  });

  it('/api without a token → 401 with the envelope', async () => {
    const res = await fetch(`${stack.api.url}/api/smoke-runs/x`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect(await res.json()).toEqual(envelope);
  });

  it('/api with a wrong token → 401', async () => {
    const res = await stack.request('GET', '/api/smoke-runs/x', undefined, { authorization: 'Bearer wrong-token-wrong-token-wrong' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('malformed JSON → 400 invalid_json, no stack trace', async () => {
    const res = await stack.request('POST', '/api/smoke-runs', '{"network": "facebook",');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(envelope);
    expect(res.body.error.code).toBe('invalid_json');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('schema violations → 400 validation_failed naming each field', async () => {
    const res = await stack.request('POST', '/api/smoke-runs', { network: 'myspace', accountId: 'a b' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const paths = (res.body.error.details.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.network', 'body.accountId', 'body.secret']));
  });

  it('an oversized body → 413 payload_too_large', async () => {
    const res = await stack.request('POST', '/api/smoke-runs', { network: 'facebook', accountId: 'a', secret: 'x'.repeat(300_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('an unknown route → 404 with the envelope', async () => {
    const res = await stack.request('GET', '/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual(envelope);
  });

  it('security headers and request ids are set', async () => {
    const res = await fetch(`${stack.api.url}/healthz`, { headers: { 'x-request-id': 'req-12345678' } });
    expect(res.headers.get('x-request-id')).toBe('req-12345678');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
    const generated = await fetch(`${stack.api.url}/healthz`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the codec endpoint refuses callers without the admin token', async () => {
    const res = await fetch(`${stack.api.url}/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"payloads":[]}' });
    expect(res.status).toBe(401);
  });
});
