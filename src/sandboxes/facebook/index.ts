import type { Express } from 'express';
import { createSandbox, listen, type RunningServer, type Sandbox } from '../kit/sandbox-app';
import { FacebookSandboxControl } from './control-client';
import { advertiserControlRoutes } from './advertiser-routes';
import { ConversionsLedger, conversionRoutes } from './conversions';
import { worldControlRoutes } from './control-routes';
import { GraphRouter } from './graph-router';
import { endpointLabel, faultRenderer, graphHandler } from './http';
import { insightsRoutes } from './insights';
import { leadRoutes } from './leads';
import { loginDialogRoutes } from './login-dialog';
import { oauthRoutes } from './oauth-routes';
import { readRoutes } from './read-routes';
import type { FacebookState } from './state';
import { TokenService } from './tokens';
import { UsageMeter } from './usage';
import { AppUsageMeter } from './app-usage';
import { WebhookDispatcher } from './webhook';
import { FacebookWorld, type SandboxApp } from './world';
import { writeRoutes } from './write-routes';

export { DEFAULT_USER, type SeedSummary } from './seed';
export { FacebookSandboxControl, type GraphErrorEnvelope, type GraphListBody, type SandboxAd } from './control-client';
export type { FacebookState } from './state';

/** The Meta app the sandbox plays; the client gets the same id and secret through its options. */
export const FACEBOOK_SANDBOX_APP: SandboxApp = { id: '1234567890123456', secret: 'fb-sandbox-app-secret', name: 'adtrack (sandbox)' };

export interface FacebookSandbox {
  app: Express;
  sandbox: Sandbox;
  state: FacebookState;
}

/** Builds the Facebook Graph / Marketing API emulator, ready to `listen()`. The world starts empty: POST /_sandbox/seed. */
export function createFacebookSandbox(options: { app?: Partial<SandboxApp> } = {}): FacebookSandbox {
  const world = new FacebookWorld({ ...FACEBOOK_SANDBOX_APP, ...options.app });
  let tokensExpired = () => false;
  const state: FacebookState = {
    world,
    tokens: new TokenService(world, () => tokensExpired()),
    usage: new UsageMeter(),
    appUsage: new AppUsageMeter(),
    conversions: new ConversionsLedger(),
    webhook: new WebhookDispatcher(world),
  };
  const sandbox = createSandbox({
    name: 'facebook',
    renderFaults: faultRenderer(state),
    endpointOf: (req) => endpointLabel(state, req),
    onReset: () => {
      world.reset();
      state.usage.reset();
      state.appUsage.reset();
      state.conversions.reset();
      state.webhook.reset();
    },
  });
  tokensExpired = () => sandbox.tokensExpired();

  const router = new GraphRouter(state, {
    ...oauthRoutes,
    ...readRoutes,
    ...writeRoutes,
    ...insightsRoutes,
    ...leadRoutes,
    ...conversionRoutes,
  });
  // Mounted at the root with full paths: the kit leaves /_sandbox requests out of the request log by
  // req.path, which a router mounted at /_sandbox would have stripped by the time the response ends.
  sandbox.app.use(worldControlRoutes(state));
  sandbox.app.use(advertiserControlRoutes(state));
  // The Login dialog lives on www.facebook.com in reality; here it shares the Graph host.
  sandbox.app.use(loginDialogRoutes(state));
  sandbox.app.use(graphHandler(state, router, sandbox));
  sandbox.finish();
  return { app: sandbox.app, sandbox, state };
}

/** Creates and starts the sandbox on 127.0.0.1 (port 0 = any free port), with a control client. */
export async function startFacebookSandbox(port = 0): Promise<FacebookSandbox & { server: RunningServer; url: string; control: FacebookSandboxControl }> {
  const facebook = createFacebookSandbox();
  const server = await listen(facebook.app, port);
  return { ...facebook, server, url: server.url, control: new FacebookSandboxControl(server.url, facebook.state.world.app) };
}
