import { listen, type RunningServer } from '../kit/sandbox-app';
import { createGoogleSandbox, type GoogleSandboxOptions } from './index';
import type { SeedInput, SeedSummary } from './seed';
import type { GoogleWorld } from './world';

/**
 * Runs the Google sandbox in-process for tests and scripts: start, seed, get tokens as the login
 * dialog + token endpoint would, and call the control API.
 */
export interface GoogleSandboxHarness {
  url: string;
  state: GoogleWorld;
  server: RunningServer;
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  seed(input: Partial<SeedInput>): Promise<SeedSummary>;
  /** A fresh token pair for a user (optionally limited to some accounts). */
  connect(user?: string, accountIds?: string[], redirectUri?: string): Promise<{ accessToken: string; refreshToken: string }>;
  close(): Promise<void>;
}

export const HARNESS_CLIENT = { clientId: 'test-client-id', clientSecret: 'test-client-secret' } as const;

export async function startGoogleSandbox(options: GoogleSandboxOptions = {}): Promise<GoogleSandboxHarness> {
  const { app, state } = createGoogleSandbox({ ...HARNESS_CLIENT, ...options });
  const server = await listen(app);
  const control = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}/_sandbox${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  return {
    url: server.url,
    state,
    server,
    control,
    async seed(input) {
      const { status, body } = await control<SeedSummary>('POST', '/seed', { landingBaseUrl: 'http://127.0.0.1:4567', ...input });
      if (status !== 200) throw new Error(`seed failed: ${JSON.stringify(body)}`);
      return body;
    },
    async connect(user = 'user-1', accountIds, redirectUri = 'https://app.example/oauth/google') {
      const { body } = await control<{ code: string }>('POST', '/oauth/codes', { user, redirectUri, ...(accountIds ? { accountIds } : {}) });
      const response = await fetch(`${server.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: body.code, redirect_uri: redirectUri, ...{ client_id: HARNESS_CLIENT.clientId, client_secret: HARNESS_CLIENT.clientSecret } }),
      });
      const tokens = (await response.json()) as { access_token: string; refresh_token: string };
      return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
    },
    close: () => server.close(),
  };
}
