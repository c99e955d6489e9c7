import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uiCodecEndpoint } from '../../src/api/auth';
import { freePort, startTemporalDevServer, type Supervised } from '../../src/dev/processes';
import type { RunningServer } from '../../src/sandboxes/kit/sandbox-app';
import { startApi } from '../support/api-instance';
import { useStack } from '../support/stack';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const plain = { payloads: [{ metadata: { encoding: b64('json/plain') }, data: b64('"a-token-in-a-payload"') }] };

/**
 * issue 15 #12: the codec decrypts only for an authorized caller — CORS is not authentication. The
 * Web UI of `temporal server start-dev` can be given nothing but `--ui-codec-endpoint` (the CLI v1.5.1
 * builds its UI config with the endpoint alone: no passAccessToken, no includeCredentials), so the
 * launcher hands it an endpoint that carries the UI codec key; the CLI sends the bearer token.
 */
describe('codec endpoint authorization (issue 15 #12)', () => {
  const stack = useStack();
  let uiOrigin: string;
  let api: RunningServer;
  let temporal: Supervised | undefined;
  let uiUrl: string;

  beforeAll(async () => {
    const uiPort = await freePort();
    uiOrigin = `http://127.0.0.1:${uiPort}`;
    // The launcher's mode (development), where the old code let the UI's Origin decrypt without a token.
    api = await startApi(stack, { config: { NODE_ENV: 'development', TEMPORAL_UI_URL: uiOrigin } });
    const server = await startTemporalDevServer({
      binary: inject('temporalCliPath'),
      port: await freePort(),
      uiPort,
      codecEndpoint: uiCodecEndpoint(api.url, stack.adminToken),
    });
    temporal = server;
    uiUrl = uiOrigin;
  });
  afterAll(async () => {
    await temporal?.stop();
    await api?.close();
  });

  const encrypted = async () => {
    const res = await fetch(`${api.url}/codec/encode`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(plain),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as typeof plain;
  };

  it('issue15-12 a forged Web UI Origin without credentials gets 401 and nothing decrypted', async () => {
    const body = JSON.stringify(await encrypted());
    for (const path of ['/codec/decode', '/codec/ui/not-the-key/decode', '/codec/encode']) {
      const res = await fetch(`${api.url}${path}`, { method: 'POST', headers: { origin: uiOrigin, 'content-type': 'application/json', 'x-namespace': 'default' }, body });
      const answer = (await res.json()) as any;
      expect(res.status, path).toBe(401);
      expect(answer.error.code).toBe('unauthorized');
      expect(JSON.stringify(answer)).not.toContain(b64('"a-token-in-a-payload"'));
    }
  });

  it('the dev server Web UI, configured as the launcher does, still decodes through its codec endpoint', async () => {
    // What the UI reads at start, and then does for every payload (its codec fetch: Content-Type and
    // X-Namespace headers, cookies only when includeCredentials is set, which start-dev cannot set).
    const settings = (await (await fetch(`${uiUrl}/api/v1/settings`)).json()) as { Codec: { Endpoint: string; PassAccessToken: boolean; IncludeCredentials: boolean } };
    expect(settings.Codec).toMatchObject({ PassAccessToken: false, IncludeCredentials: false });
    expect(settings.Codec.Endpoint.startsWith(`${api.url}/codec/ui/`)).toBe(true);

    const preflight = await fetch(`${settings.Codec.Endpoint}/decode`, {
      method: 'OPTIONS',
      headers: { origin: uiOrigin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-namespace');

    const res = await fetch(`${settings.Codec.Endpoint}/decode`, {
      method: 'POST',
      headers: { origin: uiOrigin, 'content-type': 'application/json', 'x-namespace': 'default' },
      body: JSON.stringify(await encrypted()),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    expect(await res.json()).toEqual(plain);
  });

  it('the CLI path: --codec-auth "Bearer <admin token>" decodes; a wrong token does not', async () => {
    const body = JSON.stringify(await encrypted());
    const ok = await fetch(`${api.url}/codec/decode`, { method: 'POST', headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' }, body });
    expect(await ok.json()).toEqual(plain);
    const wrong = await fetch(`${api.url}/codec/decode`, { method: 'POST', headers: { authorization: 'Bearer not-the-admin-token-at-all', 'content-type': 'application/json' }, body });
    expect(wrong.status).toBe(401);
  });

  it('docker-compose: a configured TEMPORAL_UI_CODEC_KEY is the Web UI credential; the derived one then is not', async () => {
    const key = 'compose-ui-codec-key-0123456789abcdef';
    const composeApi = await startApi(stack, { config: { TEMPORAL_UI_CODEC_KEY: key } });
    try {
      const body = JSON.stringify(await encrypted());
      const decode = (path: string) => fetch(`${composeApi.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const ok = await decode(`/codec/ui/${key}/decode`);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual(plain);
      expect((await decode(new URL(uiCodecEndpoint(composeApi.url, stack.adminToken)).pathname + '/decode')).status).toBe(401);
    } finally {
      await composeApi.close();
    }
  });
});
