import { createFacebookSandbox, FACEBOOK_SANDBOX_APP, type FacebookSandbox } from './facebook';
import { createGoogleSandbox } from './google';
import { listen, type RunningServer } from './kit/sandbox-app';
import { createLandingSite } from './landing';
import { createLinkedInSandbox, DEFAULT_LINKEDIN_CREDENTIALS, type LinkedInSandbox } from './linkedin';

/** Credentials the sandboxes accept; the service gets the same ones through its config. */
export const GOOGLE_SANDBOX_CREDENTIALS = { clientId: 'google-sandbox-client', clientSecret: 'google-sandbox-secret', developerToken: 'sandbox-developer-token' };

/** Config overrides that point the service's network clients at sandboxes running at `urls`. */
export function sandboxServiceEnv(urls: Pick<Record<keyof SandboxPorts, string>, 'facebook' | 'google' | 'linkedin'>): Record<string, string> {
  return {
    FACEBOOK_GRAPH_URL: urls.facebook,
    FACEBOOK_DIALOG_URL: urls.facebook,
    FACEBOOK_APP_ID: FACEBOOK_SANDBOX_APP.id,
    FACEBOOK_APP_SECRET: FACEBOOK_SANDBOX_APP.secret,
    GOOGLE_ADS_API_URL: urls.google,
    GOOGLE_OAUTH_AUTHORIZE_URL: `${urls.google}/o/oauth2/v2/auth`,
    GOOGLE_OAUTH_TOKEN_URL: `${urls.google}/token`,
    GOOGLE_CLIENT_ID: GOOGLE_SANDBOX_CREDENTIALS.clientId,
    GOOGLE_CLIENT_SECRET: GOOGLE_SANDBOX_CREDENTIALS.clientSecret,
    GOOGLE_DEVELOPER_TOKEN: GOOGLE_SANDBOX_CREDENTIALS.developerToken,
    LINKEDIN_API_URL: urls.linkedin,
    LINKEDIN_OAUTH_URL: urls.linkedin,
    LINKEDIN_CLIENT_ID: DEFAULT_LINKEDIN_CREDENTIALS.clientId,
    LINKEDIN_CLIENT_SECRET: DEFAULT_LINKEDIN_CREDENTIALS.clientSecret,
    SANDBOX_MODE: 'true',
  };
}

export interface SandboxPorts {
  facebook: number;
  google: number;
  linkedin: number;
  landing: number;
}

export interface RunningSandboxes {
  urls: Record<keyof SandboxPorts, string>;
  /** Config overrides that point the service's network clients at these sandboxes. */
  env: Record<string, string>;
  facebook: FacebookSandbox;
  google: ReturnType<typeof createGoogleSandbox>;
  linkedin: LinkedInSandbox;
  landing: ReturnType<typeof createLandingSite>;
  close(): Promise<void>;
}

/**
 * Starts the three network sandboxes and the landing site in this process (tests, `npm start`).
 * Port 0 = any free port.
 */
export async function startSandboxes(options: { ports?: Partial<SandboxPorts>; trackingScriptUrl?: string } = {}): Promise<RunningSandboxes> {
  const facebook = createFacebookSandbox();
  const google = createGoogleSandbox(GOOGLE_SANDBOX_CREDENTIALS);
  const linkedin = createLinkedInSandbox(DEFAULT_LINKEDIN_CREDENTIALS);
  const landing = createLandingSite(options.trackingScriptUrl ? { trackingScriptUrl: options.trackingScriptUrl } : {});
  const servers: RunningServer[] = [];
  const start = async (app: Parameters<typeof listen>[0], port: number | undefined) => {
    const server = await listen(app, port ?? 0);
    servers.push(server);
    return server.url;
  };
  const urls = {
    facebook: await start(facebook.app, options.ports?.facebook),
    google: await start(google.app, options.ports?.google),
    linkedin: await start(linkedin.app, options.ports?.linkedin),
    landing: await start(landing.app, options.ports?.landing),
  };
  return {
    urls,
    env: sandboxServiceEnv(urls),
    facebook,
    google,
    linkedin,
    landing,
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}
