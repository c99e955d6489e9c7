import type { RouteContext, RouteTable } from './graph-router';

/** §1.2 code exchange and §1.3 long-lived exchange share one endpoint. */
function accessToken(ctx: RouteContext): unknown {
  const { tokens } = ctx.state;
  return ctx.params.grant_type === 'fb_exchange_token' ? tokens.exchangeForLongLived(ctx.params) : tokens.exchangeCode(ctx.params);
}

export const oauthRoutes: RouteTable = {
  'GET oauth/access_token': { handler: accessToken, auth: false },
  'POST oauth/access_token': { handler: accessToken, auth: false },
  'GET debug_token': { handler: (ctx) => ctx.state.tokens.debug(ctx.params), auth: false },
};
