import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy, type ProxyFault } from '../support/fault-proxy';
import { useSandboxes } from '../support/sandboxes';
import { useStack } from '../support/stack';
import { REDIRECT_URI, seededUser } from '../support/tracking-helpers';

/**
 * issue 15 #16: the OAuth code is single-use. When the network consumed it but its answer was lost
 * (a 5xx or a dropped connection after the fact), the exchange is not sent again — a retry could only
 * fail with "code used" — and the admin is told to start the login again.
 */
describe('OAuth code exchange under transient faults (issue 15 #16)', () => {
  const sandboxes = useSandboxes();
  let fault: ProxyFault = 'pass';
  const isCodeExchange = (line: string, body: string) =>
    (line.includes('/oauth/access_token') && line.includes('code=')) || (line.startsWith('POST /token') && body.includes('grant_type=authorization_code'));
  let facebookProxy: FaultProxy;
  let googleProxy: FaultProxy;
  beforeAll(async () => {
    const decide = (line: string, body: string): ProxyFault => (isCodeExchange(line, body) ? fault : 'pass');
    facebookProxy = await startFaultProxy(() => sandboxes.running.urls.facebook, decide);
    googleProxy = await startFaultProxy(() => sandboxes.running.urls.google, decide);
  });
  afterAll(async () => {
    await facebookProxy?.close();
    await googleProxy?.close();
  });
  const stack = useStack({
    env: () => ({ ...sandboxes.running.env, FACEBOOK_GRAPH_URL: facebookProxy.url, GOOGLE_OAUTH_TOKEN_URL: `${googleProxy.url}/token` }),
  });
  const exchanges = (proxy: FaultProxy) => proxy.forwarded.filter((r) => isCodeExchange(r.line, r.body)).length;

  async function connectThroughFault(network: 'facebook' | 'google', proxy: FaultProxy, kind: ProxyFault) {
    const seeded = await sandboxes.seed(network);
    const { code } = await sandboxes.control(network).post('/_sandbox/oauth/codes', { user: seededUser(seeded), redirectUri: REDIRECT_URI });
    const before = exchanges(proxy);
    fault = kind;
    try {
      const res = await stack.request('POST', '/api/connections', { network, code, redirectUri: REDIRECT_URI });
      return { res, sent: exchanges(proxy) - before };
    } finally {
      fault = 'pass';
    }
  }

  it('issue15-16 a code the network consumed before answering 503 is sent once; the admin is told to start the login again', async () => {
    const { res, sent } = await connectThroughFault('facebook', facebookProxy, 'answer503');
    expect(sent).toBe(1);
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ code: 'authorization_interrupted', message: expect.stringContaining('start the login again'), details: { restartLogin: true } });
    expect(JSON.stringify(res.body)).not.toMatch(/has been used/);
  });

  it('issue15-16 a connection dropped after the network consumed the code: one exchange, the same clear error', async () => {
    const { res, sent } = await connectThroughFault('google', googleProxy, 'drop');
    expect(sent).toBe(1);
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('authorization_interrupted');
  });

  it('without faults the same path connects (201), and a fresh login after an interrupted one works', async () => {
    const seeded = await sandboxes.seed('facebook');
    const { code } = await sandboxes.control('facebook').post('/_sandbox/oauth/codes', { user: seededUser(seeded), redirectUri: REDIRECT_URI });
    const res = await stack.request('POST', '/api/connections', { network: 'facebook', code, redirectUri: REDIRECT_URI });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // A code the network really refuses is a 400 naming the refusal, not the interrupted case.
    const again = await stack.request('POST', '/api/connections', { network: 'facebook', code, redirectUri: REDIRECT_URI });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('authorization_failed');
  });
});
