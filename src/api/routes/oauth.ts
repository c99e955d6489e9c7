import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { authorizeUrl, PKCE_NETWORKS } from '../../admin/authorize-urls';
import { OAuthStates, stateKey, type StateProblem, type StateStore } from '../../admin/oauth-state';
import { errorPage, NETWORK_NAMES, pickerPage } from '../../admin/pages';
import { sessionOf } from '../../admin/session';
import { accountKeyOf, type AdAccountRecord } from '../../db/models/ad-account';
import { NETWORKS, type Network } from '../../networks/types';
import type { ApiContext } from '../context';
import { ApiError } from '../errors';
import { connectReachableAccount, reachableAccounts, reconnectAccount } from './accounts-service';
import { exchangeAuthorizationCode } from './connections';

const networkSchema = z.enum(NETWORKS);
const callbackSchema = z.object({ code: z.string().min(1).max(2048).optional(), state: z.string().max(512).optional(), error: z.string().max(200).optional() });
const pickSchema = z.object({
  externalId: z.union([z.string().max(64), z.array(z.string().max(64)).max(500)]).optional(),
  autoTracking: z.literal('off').optional(),
});

const CLIENT_ID_VARIABLE: Record<Network, 'FACEBOOK_APP_ID' | 'GOOGLE_CLIENT_ID' | 'LINKEDIN_CLIENT_ID'> = {
  facebook: 'FACEBOOK_APP_ID',
  google: 'GOOGLE_CLIENT_ID',
  linkedin: 'LINKEDIN_CLIENT_ID',
};

const STATE_MESSAGES: Record<StateProblem, string> = {
  malformed: 'The sign-in link came back without a valid state, so it cannot be trusted. Nothing was connected.',
  forged: 'The sign-in link was not started from this browser session (its state does not match). Nothing was connected.',
  wrong_network: 'The sign-in link belongs to another network. Nothing was connected.',
  expired: 'The sign-in link expired (it is good for 10 minutes). Nothing was connected.',
  used: 'This sign-in link was already used. Nothing more was connected.',
};

function mongoStateStore(ctx: ApiContext): StateStore {
  const model = () => ctx.db.models.OAuthState;
  return {
    put: async (state) => {
      await model().deleteMany({ expiresAt: { $lte: new Date() } });
      await model().create({ _id: state.nonce, sessionKey: state.sessionKey, network: state.network, redirectUri: state.redirectUri, expiresAt: state.expiresAt, codeVerifier: state.codeVerifier ?? null });
    },
    take: async (nonce, sessionKey) => {
      const found = await model().findOneAndDelete({ _id: nonce, sessionKey }).lean();
      if (!found) return null;
      return { nonce, sessionKey, network: found.network, redirectUri: found.redirectUri, expiresAt: found.expiresAt, ...(found.codeVerifier ? { codeVerifier: found.codeVerifier } : {}) };
    },
  };
}

function networkOf(req: Request): Network {
  const parsed = networkSchema.safeParse(req.params.network);
  if (!parsed.success) throw new ApiError(404, 'unknown_network', 'There is no such ad network; adtrack connects Facebook, Google Ads and LinkedIn.');
  return parsed.data;
}

function failure(res: Response, status: number, network: Network, title: string, message: string): void {
  const csrfToken = sessionOf(res)?.csrfToken;
  res.status(status).type('html').send(
    errorPage({ title, message, ...(csrfToken ? { csrfToken } : {}), retry: { href: `/connect/${network}`, label: `Connect ${NETWORK_NAMES[network]} again` } }),
  );
}

/**
 * ACC-2 in the browser: `/connect/:network` → the network's authorization page → `/oauth/:network/callback`
 * (state checked and consumed, code exchanged by the connect workflow) → the account picker (ACC-3).
 * Mounted inside the console router, behind its session check.
 */
export function oauthRoutes(ctx: ApiContext): Router {
  const router = Router();
  const states = new OAuthStates(stateKey(ctx.config.ADMIN_API_TOKEN), mongoStateStore(ctx));
  const callbackUrl = (req: Request, network: Network) => `${ctx.config.PUBLIC_BASE_URL?.replace(/\/+$/, '') ?? `${req.protocol}://${req.get('host')}`}/oauth/${network}/callback`;

  router.get('/connect/:network', async (req, res) => {
    const network = networkOf(req);
    const variable = CLIENT_ID_VARIABLE[network];
    if (!ctx.config[variable]) {
      return failure(res, 503, network, `${NETWORK_NAMES[network]} is not set up`, `Set ${variable} (and its secret) to the app registered at ${NETWORK_NAMES[network]}, then try again.`);
    }
    const redirectUri = callbackUrl(req, network);
    const issued = await states.issue(sessionOf(res)!.key, network, redirectUri, { pkce: PKCE_NETWORKS.has(network) });
    res.redirect(302, authorizeUrl(network, ctx.config, { redirectUri, ...issued }));
  });

  router.get('/oauth/:network/callback', async (req, res) => {
    const network = networkOf(req);
    const query = callbackSchema.safeParse(req.query);
    if (!query.success || !query.data.state) return failure(res, 400, network, 'Connection failed', STATE_MESSAGES.malformed);
    // Consume the state first, also on a refusal: a state is good for one answer from the network.
    const redeemed = await states.redeem(query.data.state, sessionOf(res)!.key, network);
    if (query.data.error) {
      const denied = query.data.error === 'access_denied' || query.data.error.startsWith('user_cancelled');
      const message = denied
        ? `You cancelled at ${NETWORK_NAMES[network]}, so adtrack got no access. Nothing was connected.`
        : `${NETWORK_NAMES[network]} refused the authorization (${query.data.error}). Nothing was connected.`;
      return failure(res, 400, network, denied ? 'Connection cancelled' : 'Connection failed', message);
    }
    if (!redeemed.ok) return failure(res, 400, network, 'Connection failed', STATE_MESSAGES[redeemed.problem]);
    if (!query.data.code) return failure(res, 400, network, 'Connection failed', `${NETWORK_NAMES[network]} sent no authorization code. Nothing was connected.`);
    try {
      const verifier = redeemed.codeVerifier ? { codeVerifier: redeemed.codeVerifier } : {};
      const result = await exchangeAuthorizationCode(ctx, { network, code: query.data.code, redirectUri: redeemed.redirectUri, ...verifier });
      // Redirect so the code leaves the address bar and a reload does not replay it.
      res.redirect(303, `/admin/connections/${network}/${result.connectionId}`);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      failure(res, error.status, network, 'Connection failed', `${error.message} Nothing was connected.`);
    }
  });

  router.get('/admin/connections/:network/:connectionId', async (req, res) => {
    const network = networkOf(req);
    const connectionId = z.uuid().safeParse(req.params.connectionId);
    if (!connectionId.success) throw new ApiError(404, 'not_found', 'There is no such connection.');
    const reachable = await reachableAccounts(ctx, network, connectionId.data);
    const connected = await ctx.db.models.AdAccount.find({ network, status: { $ne: 'disconnected' } }, { externalId: 1 }).lean<Pick<AdAccountRecord, 'externalId'>[]>();
    const known = new Set(connected.map((a) => a.externalId));
    res.type('html').send(
      pickerPage({
        network,
        connectionId: connectionId.data,
        accounts: reachable.map((a) => ({ ...a, alreadyConnected: known.has(a.externalId) })),
        csrfToken: sessionOf(res)!.csrfToken,
        ...(req.query.problem === 'none' ? { problem: 'Tick at least one ad account to connect.' } : {}),
      }),
    );
  });

  router.post('/admin/connections/:network/:connectionId/accounts', async (req, res) => {
    const network = networkOf(req);
    const picked = pickSchema.safeParse(req.body);
    const ids = picked.success ? [picked.data.externalId ?? []].flat() : [];
    const connectionId = String(req.params.connectionId);
    if (ids.length === 0) return void res.redirect(303, `/admin/connections/${network}/${encodeURIComponent(connectionId)}?problem=none`);
    const startOff = picked.success && picked.data.autoTracking === 'off';
    const connected: string[] = [];
    for (const externalId of ids) {
      // A parked account (needs_reconnect) takes the new grant and resumes; any other is connected (again).
      const existing = await ctx.db.models.AdAccount.findById(accountKeyOf(network, externalId)).lean<AdAccountRecord>();
      if (existing?.status === 'needs_reconnect') await reconnectAccount(ctx, existing._id, connectionId);
      else connected.push((await connectReachableAccount(ctx, connectionId, externalId, startOff ? { autoTracking: false } : {})).account._id);
    }
    // Started off to preview first: one account goes straight to its preview.
    if (startOff && connected.length === 1) return void res.redirect(303, `/admin/accounts/${encodeURIComponent(connected[0]!)}/preview`);
    res.redirect(303, `/admin/accounts?connected=${ids.length}#network-${network}`);
  });

  return router;
}
