import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { startApi } from '../support/api-instance';
import { useStack } from '../support/stack';

const envelope = expect.objectContaining({
  error: expect.objectContaining({ code: expect.any(String), message: expect.any(String), details: expect.anything() }),
});

const FB_SECRET = 'fb-app-secret-for-edge-tests';

describe('API edge: authentication, error envelope, health', () => {
  const stack = useStack({ env: () => ({ FACEBOOK_APP_SECRET: FB_SECRET, LINKEDIN_CLIENT_SECRET: 'li-secret-for-edge-tests' }) });
  const raw = async (path: string, body: string | Uint8Array, headers: Record<string, string>, base = stack.api.url) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers, body });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  const admin = () => ({ authorization: `Bearer ${stack.adminToken}` });
  const visitorToken = () => randomBytes(16).toString('hex');
  const beacon = (token = visitorToken()) => JSON.stringify({ visitorToken: token, url: 'https://site.example/p' });

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

  const garbage = Buffer.from('this is not compressed at all');

  it('issue15-8 broken gzip, deflate and br bodies are 400 invalid_encoding on /t/pageview, /webhooks/facebook, /api/* and /codec', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const json = { 'content-type': 'application/json', 'content-encoding': encoding };
      const answers = [
        await raw('/t/pageview', garbage, { 'content-type': 'text/plain', 'content-encoding': encoding }),
        await raw('/webhooks/facebook', garbage, { ...json, 'x-hub-signature-256': 'sha256=00' }),
        await raw('/api/forms', garbage, { ...json, ...admin() }),
        await raw('/codec/decode', garbage, { ...json, ...admin() }),
      ];
      for (const answer of answers) {
        expect(answer.status, `${encoding}: ${JSON.stringify(answer.body)}`).toBe(400);
        expect(answer.body).toEqual(envelope);
        expect(answer.body.error.code).toBe('invalid_encoding');
      }
    }
    // A well-formed gzip body is read as usual.
    const zipped = await raw('/api/forms', gzipSync(JSON.stringify({ name: 'Zipped', alwaysCreateNewContact: false })), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      ...admin(),
    });
    expect(zipped.status, JSON.stringify(zipped.body)).toBe(201);
    const unknown = await raw('/api/forms', '{}', { 'content-type': 'application/json', 'content-encoding': 'zstd', ...admin() });
    expect(unknown.status).toBe(415);
    expect(unknown.body.error.code).toBe('unsupported_encoding');
  });

  it('issue15-8 unauthenticated callers are refused before their body is parsed (broken, oversized, invalid)', async () => {
    const json = { 'content-type': 'application/json' };
    const refused = [
      await raw('/api/forms', garbage, { ...json, 'content-encoding': 'gzip' }),
      await raw('/api/forms', JSON.stringify({ name: 'x'.repeat(400_000) }), json),
      await raw('/api/forms', '{"name":', { ...json, authorization: 'Bearer wrong-token-wrong-token-wrong' }),
      await raw('/codec/decode', '{"payloads":', { ...json, origin: 'http://localhost:8233' }),
      await raw('/codec/decode', garbage, { ...json, 'content-encoding': 'gzip' }),
      await raw('/webhooks/facebook', garbage, { ...json, 'content-encoding': 'gzip' }),
      await raw('/webhooks/linkedin', 'x'.repeat(400_000), json),
    ];
    for (const answer of refused) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(401);
      expect(answer.body).toEqual(envelope);
    }
  });

  it('issue15-8 bad charsets, content types and nesting are 4xx envelopes, never 500', async () => {
    const json = { 'content-type': 'application/json', ...admin() };
    const charset = await raw('/api/forms', '{}', { ...json, 'content-type': 'application/json; charset=klingon' });
    expect([charset.status, charset.body.error.code]).toEqual([415, 'unsupported_charset']);
    const beaconCharset = await raw('/t/pageview', beacon(), { 'content-type': 'text/plain; charset=klingon' });
    expect([beaconCharset.status, beaconCharset.body.error.code]).toEqual([415, 'unsupported_charset']);
    const xml = await raw('/t/pageview', '<pageview/>', { 'content-type': 'application/xml' });
    expect([xml.status, xml.body.error.code]).toEqual([415, 'unsupported_media_type']);

    const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const nested = [
      await raw('/api/forms', deep(5_000), json),
      await raw('/api/contacts/import', `{"contacts":${deepArray(100_000)}}`, json),
      await raw('/t/pageview', `{"visitorToken":"${visitorToken()}","url":"https://s.example/","title":${deepArray(7_000)}}`, { 'content-type': 'text/plain' }),
      await raw('/codec/decode', `{"payloads":${deepArray(50_000)}}`, json),
    ];
    for (const answer of nested) expect([answer.status, answer.body.error?.code]).toEqual([400, 'too_deeply_nested']);

    for (const body of ['{"__proto__":{"admin":true},"name":"p"}', '{"name":"p","constructor":{"prototype":{"x":1}}}']) {
      const polluted = await raw('/api/forms', body, json);
      expect([polluted.status, polluted.body.error.code]).toEqual([400, 'forbidden_key']);
    }
    const badPath = await fetch(`${stack.api.url}/api/forms/%E0%A4%A`, { headers: admin() });
    expect(badPath.status).toBe(400);
    expect(((await badPath.json()) as any).error.code).toBe('invalid_path');
  });

  it('issue15-14 concurrent first beacons of new visitors are all stored (old code: duplicate-key 500s)', async () => {
    const counts: Record<number, number> = {};
    for (let round = 0; round < 10; round += 1) {
      const token = visitorToken();
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => raw('/t/pageview', JSON.stringify({ visitorToken: token, url: `https://site.example/r${round}/${i}` }), { 'content-type': 'text/plain' })),
      );
      for (const answer of answers) counts[answer.status] = (counts[answer.status] ?? 0) + 1;
    }
    console.log('issue15-14 10 new visitors × 20 concurrent first beacons:', counts);
    expect(counts).toEqual({ 202: 200 });
    expect(await stack.db.models.PageView.countDocuments({ url: /^https:\/\/site\.example\/r\d\// })).toBe(200);
  });

  it('issue15-14 a burst of 150 beacons from one visitor gets only 202s and 429s (with Retry-After)', async () => {
    const token = visitorToken();
    const answers = await Promise.all(
      Array.from({ length: 150 }, (_, i) => raw('/t/pageview', JSON.stringify({ visitorToken: token, url: `https://site.example/p${i}` }), { 'content-type': 'text/plain' })),
    );
    const counts = answers.reduce<Record<number, number>>((acc, a) => ({ ...acc, [a.status]: (acc[a.status] ?? 0) + 1 }), {});
    console.log('issue15-14 burst of 150 beacons:', counts);
    expect(Object.keys(counts).sort()).toEqual(['202', '429']);
    // The burst, plus what the bucket refilled while the 150 were answered.
    expect(counts[202]).toBeGreaterThanOrEqual(stack.config.TRACKING_RATE_BURST);
    for (const limited of answers.filter((a) => a.status === 429)) expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('issue15-14 X-Forwarded-For counts only from a configured proxy (TRUST_PROXY); by default a caller cannot pick its rate-limit key', async () => {
    // Per-IP bucket = 5 × burst = 5 beacons; each from a new visitor, each claiming another address.
    const tiny = { TRACKING_RATE_BURST: 1, TRACKING_RATE_PER_MINUTE: 1 };
    const spoofed = (base: string, i: number) => raw('/t/pageview', beacon(), { 'content-type': 'text/plain', 'x-forwarded-for': `203.0.113.${i}` }, base);
    const direct = await startApi(stack, { config: tiny });
    const viaProxy = await startApi(stack, { config: { ...tiny, TRUST_PROXY: ['loopback'] } });
    try {
      const untrusted = [];
      for (let i = 1; i <= 6; i += 1) untrusted.push((await spoofed(direct.url, i)).status);
      expect(untrusted).toEqual([202, 202, 202, 202, 202, 429]);
      const trusted = [];
      for (let i = 1; i <= 6; i += 1) trusted.push((await spoofed(viaProxy.url, i)).status);
      expect(trusted).toEqual([202, 202, 202, 202, 202, 202]);
    } finally {
      await direct.close();
      await viaProxy.close();
    }
  });
});
