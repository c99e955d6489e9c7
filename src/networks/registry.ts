import { createHash } from 'node:crypto';
import type { Config } from '../config';
import { googleSignals, inAccountScope, linkedinSignals, NetworkBudget, type RateBudget } from './budget';
import { FacebookClient } from './facebook';
import { facebookSignals } from './facebook/usage-signals';
import { GoogleAdsClient } from './google';
import { LinkedInClient } from './linkedin';
import type { AdNetworkClient, Network } from './types';

export interface NetworkClients {
  facebook: FacebookClient;
  google: GoogleAdsClient;
  linkedin: LinkedInClient;
}

/** The interface's methods whose second argument is the ad account: their calls charge that account. */
const ACCOUNT_METHODS = ['listAds', 'applyTracking', 'getAdMetrics', 'listLeadForms', 'listLeads', 'checkConversionDestination'] as const;

function scopedToAccounts<C extends AdNetworkClient>(client: C): C {
  const methods = client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of ACCOUNT_METHODS) {
    const method = methods[name]!.bind(client);
    methods[name] = (...args: unknown[]) => inAccountScope(String(args[1]), () => method(...args));
  }
  return client;
}

/** The developer token is a credential: its budget key carries a digest, never the token. */
const digest = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 16);

/**
 * One client per network, configured from the environment (the real APIs, or local stand-ins in
 * development: only base URLs and credentials differ). With a rate budget (the worker), every call
 * draws on its network app's / developer token's budget and honours the waits the network announces.
 */
export function createNetworkClients(config: Config, budget?: RateBudget): NetworkClients & Record<Network, AdNetworkClient> {
  const meter = (network: Network, appKey: string, signals: ConstructorParameters<typeof NetworkBudget>[3]) =>
    budget ? { budget: new NetworkBudget(budget, network, `${network}:${appKey}`, signals) } : {};
  return {
    facebook: scopedToAccounts(
      new FacebookClient({
        graphBaseUrl: config.FACEBOOK_GRAPH_URL,
        apiVersion: config.FACEBOOK_API_VERSION,
        appId: config.FACEBOOK_APP_ID,
        appSecret: config.FACEBOOK_APP_SECRET,
        ...meter('facebook', `app:${config.FACEBOOK_APP_ID}`, facebookSignals),
      }),
    ),
    google: scopedToAccounts(
      new GoogleAdsClient({
        apiBaseUrl: config.GOOGLE_ADS_API_URL,
        apiVersion: config.GOOGLE_ADS_API_VERSION,
        oauthTokenUrl: config.GOOGLE_OAUTH_TOKEN_URL,
        clientId: config.GOOGLE_CLIENT_ID,
        clientSecret: config.GOOGLE_CLIENT_SECRET,
        developerToken: config.GOOGLE_DEVELOPER_TOKEN,
        ...(config.GOOGLE_LOGIN_CUSTOMER_ID ? { loginCustomerId: config.GOOGLE_LOGIN_CUSTOMER_ID } : {}),
        ...meter('google', `token:${digest(config.GOOGLE_DEVELOPER_TOKEN || config.GOOGLE_CLIENT_ID)}`, googleSignals),
      }),
    ),
    linkedin: scopedToAccounts(
      new LinkedInClient({
        apiBaseUrl: config.LINKEDIN_API_URL,
        oauthBaseUrl: config.LINKEDIN_OAUTH_URL,
        apiVersion: config.LINKEDIN_API_VERSION,
        clientId: config.LINKEDIN_CLIENT_ID,
        clientSecret: config.LINKEDIN_CLIENT_SECRET,
        ...meter('linkedin', `app:${config.LINKEDIN_CLIENT_ID}`, linkedinSignals),
      }),
    ),
  };
}
