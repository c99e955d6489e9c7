import type { Express } from 'express';
import { createSandbox, type Sandbox } from '../kit/sandbox-app';
import { advertiserRouter } from './advertiser-routes';
import { endpointLabel, googleFaultRenderer, installApiRoutes } from './api-routes';
import { controlRouter } from './control-routes';
import { oauthRouter } from './oauth';
import { defaultConfig, GoogleWorld } from './world';

export { GoogleWorld } from './world';
export type { SeedInput, SeedSummary } from './seed';

export interface GoogleSandboxOptions {
  /** When set, the token endpoint accepts only these client credentials. */
  clientId?: string;
  clientSecret?: string;
  /** When set, a developer-token header must carry this value. */
  developerToken?: string;
}

/**
 * The Google Ads API sandbox: OAuth endpoints (/o/oauth2/v2/auth, /token, /revoke), the REST API under
 * /{version}/customers..., and the control API under /_sandbox/. Point the client's apiBaseUrl at the
 * sandbox URL and its oauthTokenUrl at `${url}/token`.
 */
export function createGoogleSandbox(options: GoogleSandboxOptions = {}): { app: Express; sandbox: Sandbox; state: GoogleWorld } {
  const world = new GoogleWorld();
  if (options.developerToken) world.config.developerToken = options.developerToken;
  const kit = createSandbox({
    name: 'google',
    renderFaults: googleFaultRenderer(),
    endpointOf: endpointLabel,
    // Reset = a clean slate: empty world, default config, sandbox clock back to the wall clock.
    onReset: () => {
      world.reset(world.seed);
      world.clockOffsetMs = 0;
      world.config = { ...defaultConfig(), ...(options.developerToken ? { developerToken: options.developerToken } : {}) };
    },
    faultFreePrefixes: ['/token', '/oauth2/', '/o/oauth2/', '/revoke'],
  });
  const { app } = kit;
  app.use('/_sandbox', controlRouter(world));
  app.use('/_sandbox', advertiserRouter(world));
  app.use(oauthRouter(world, options, () => world.defaultUser));
  installApiRoutes(app, world, kit);
  kit.finish();
  return { app, sandbox: kit, state: world };
}
