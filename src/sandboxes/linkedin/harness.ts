import { listen, type RunningServer } from '../kit/sandbox-app';
import { createLinkedInSandbox, type LinkedInSandbox, type LinkedInSandboxOptions } from './index';
import type { SeedRequest, SeedSummary } from './seed';

export interface ControlAnswer<T = unknown> {
  status: number;
  body: T;
}

export interface RestCallOptions {
  /** Bearer token; null or absent sends none. */
  token?: string | null;
  /** LinkedIn-Version; default 202608, null sends none. */
  version?: string | null;
  /** X-Restli-Protocol-Version; default 2.0.0, null sends none. */
  protocol?: string | null;
  restliMethod?: string;
  /** JSON-encoded unless it is a string. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RestAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON (text when it is not JSON, null when empty). */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers of every shape, for tests
}

export interface RunningLinkedInSandbox extends LinkedInSandbox {
  url: string;
  server: RunningServer;
  /** Calls a /_sandbox control route with a JSON body. */
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<ControlAnswer<T>>;
  /** Calls the Rest.li API (`/rest/...`) raw, with the §0 headers unless told otherwise. */
  rest(method: string, path: string, options?: RestCallOptions): Promise<RestAnswer>;
  seed(request?: Partial<SeedRequest>): Promise<SeedSummary>;
  /** Runs the OAuth code flow for a member and returns the raw token response. */
  authorize(user?: string, redirectUri?: string): Promise<{ access_token: string; refresh_token: string; expires_in: number; refresh_token_expires_in: number; scope: string }>;
  close(): Promise<void>;
}

/** Starts a LinkedIn sandbox on 127.0.0.1 (port 0 by default) for tests, the launcher and demos. */
export async function startLinkedInSandbox(options: LinkedInSandboxOptions & { port?: number } = {}): Promise<RunningLinkedInSandbox> {
  const instance = createLinkedInSandbox(options);
  const server = await listen(instance.app, options.port ?? 0);

  const control = async <T>(method: string, path: string, body?: unknown): Promise<ControlAnswer<T>> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  };

  const rest = async (method: string, path: string, options: RestCallOptions = {}): Promise<RestAnswer> => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const version = options.version === undefined ? '202608' : options.version;
    if (version) headers['linkedin-version'] = version;
    const protocol = options.protocol === undefined ? '2.0.0' : options.protocol;
    if (protocol) headers['x-restli-protocol-version'] = protocol;
    if (options.restliMethod) headers['x-restli-method'] = options.restliMethod;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };

  return {
    ...instance,
    url: server.url,
    server,
    control,
    rest,
    async seed(request = {}) {
      const answer = await control<SeedSummary>('POST', '/_sandbox/seed', { seed: 1, accounts: 2, adsPerAccount: 16, landingBaseUrl: 'http://127.0.0.1:4567', ...request });
      if (answer.status !== 200) throw new Error(`seed failed: ${JSON.stringify(answer.body)}`);
      return answer.body;
    },
    async authorize(user = 'demo', redirectUri = 'https://app.example/oauth/linkedin') {
      const { body } = await control<{ code: string }>('POST', '/_sandbox/oauth/codes', { user, redirectUri });
      const form = new URLSearchParams({
        grant_type: 'authorization_code',
        code: body.code,
        redirect_uri: redirectUri,
        client_id: instance.credentials.clientId,
        client_secret: instance.credentials.clientSecret,
      });
      const response = await fetch(`${server.url}/oauth/v2/accessToken`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
      if (response.status !== 200) throw new Error(`token exchange failed: ${response.status}`);
      return (await response.json()) as Awaited<ReturnType<RunningLinkedInSandbox['authorize']>>;
    },
    close: () => {
      instance.notifier.clear();
      return server.close();
    },
  };
}
