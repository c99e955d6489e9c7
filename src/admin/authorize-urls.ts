import type { Config } from '../config';
import type { Network } from '../networks/types';

/**
 * Where `GET /connect/:network` sends the admin (ACC-2): each network's documented authorization
 * endpoint and the permissions adtrack's features use. In development the base URLs point at the
 * sandboxes, which serve a consent page at the same paths.
 */

/** Ads read/write (TRK), insights (REP), lead forms (LEAD), the Pages behind lead ads (and their leadgen webhook), and the business that owns the accounts. */
export const FACEBOOK_SCOPES = ['ads_management', 'ads_read', 'leads_retrieval', 'pages_show_list', 'pages_manage_ads', 'pages_read_engagement', 'pages_manage_metadata', 'business_management'];
/**
 * PKCE where the network documents it for a server-side web app: Google does; Facebook only for its
 * OIDC flow (still "in testing"), LinkedIn only for native clients.
 */
export const PKCE_NETWORKS: ReadonlySet<Network> = new Set<Network>(['google']);

export const GOOGLE_SCOPES = ['https://www.googleapis.com/auth/adwords'];
/** Ads read/write, reporting, lead forms, the organization behind the accounts, and conversions (CONV). */
export const LINKEDIN_SCOPES = ['r_ads', 'rw_ads', 'r_ads_reporting', 'r_marketing_leadgen_automation', 'r_organization_social', 'rw_conversions'];

export type AuthorizeSettings = Pick<
  Config,
  'FACEBOOK_DIALOG_URL' | 'FACEBOOK_API_VERSION' | 'FACEBOOK_APP_ID' | 'GOOGLE_OAUTH_AUTHORIZE_URL' | 'GOOGLE_CLIENT_ID' | 'LINKEDIN_OAUTH_URL' | 'LINKEDIN_CLIENT_ID'
>;

function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export function authorizeUrl(network: Network, settings: AuthorizeSettings, request: { redirectUri: string; state: string; codeChallenge?: string }): string {
  switch (network) {
    case 'facebook':
      // Manual login flow: https://www.facebook.com/<version>/dialog/oauth, scopes comma-separated.
      return withQuery(`${trimSlash(settings.FACEBOOK_DIALOG_URL)}/${settings.FACEBOOK_API_VERSION}/dialog/oauth`, {
        client_id: settings.FACEBOOK_APP_ID,
        redirect_uri: request.redirectUri,
        state: request.state,
        response_type: 'code',
        scope: FACEBOOK_SCOPES.join(','),
      });
    case 'google':
      // offline + consent: Google returns a refresh token only on a consented offline grant.
      return withQuery(settings.GOOGLE_OAUTH_AUTHORIZE_URL, {
        client_id: settings.GOOGLE_CLIENT_ID,
        redirect_uri: request.redirectUri,
        response_type: 'code',
        scope: GOOGLE_SCOPES.join(' '),
        access_type: 'offline',
        prompt: 'consent',
        include_granted_scopes: 'true',
        state: request.state,
        ...(request.codeChallenge ? { code_challenge: request.codeChallenge, code_challenge_method: 'S256' } : {}),
      });
    case 'linkedin': {
      // LINKEDIN_OAUTH_URL is the host (the token client adds /oauth/v2 the same way).
      const base = trimSlash(settings.LINKEDIN_OAUTH_URL);
      return withQuery(`${base.endsWith('/oauth/v2') ? base : `${base}/oauth/v2`}/authorization`, {
        response_type: 'code',
        client_id: settings.LINKEDIN_CLIENT_ID,
        redirect_uri: request.redirectUri,
        state: request.state,
        scope: LINKEDIN_SCOPES.join(' '),
      });
    }
  }
}
