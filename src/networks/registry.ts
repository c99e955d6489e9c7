import type { Config } from '../config';
import { FacebookClient } from './facebook';
import { GoogleAdsClient } from './google';
import { LinkedInClient } from './linkedin';
import type { AdNetworkClient, Network } from './types';

export interface NetworkClients {
  facebook: FacebookClient;
  google: GoogleAdsClient;
  linkedin: LinkedInClient;
}

/** One client per network, configured from the environment (the real APIs, or local stand-ins in development: only base URLs and credentials differ). */
export function createNetworkClients(config: Config): NetworkClients & Record<Network, AdNetworkClient> {
  return {
    facebook: new FacebookClient({
      graphBaseUrl: config.FACEBOOK_GRAPH_URL,
      apiVersion: config.FACEBOOK_API_VERSION,
      appId: config.FACEBOOK_APP_ID,
      appSecret: config.FACEBOOK_APP_SECRET,
    }),
    google: new GoogleAdsClient({
      apiBaseUrl: config.GOOGLE_ADS_API_URL,
      apiVersion: config.GOOGLE_ADS_API_VERSION,
      oauthTokenUrl: config.GOOGLE_OAUTH_TOKEN_URL,
      clientId: config.GOOGLE_CLIENT_ID,
      clientSecret: config.GOOGLE_CLIENT_SECRET,
      developerToken: config.GOOGLE_DEVELOPER_TOKEN,
      ...(config.GOOGLE_LOGIN_CUSTOMER_ID ? { loginCustomerId: config.GOOGLE_LOGIN_CUSTOMER_ID } : {}),
    }),
    linkedin: new LinkedInClient({
      apiBaseUrl: config.LINKEDIN_API_URL,
      oauthBaseUrl: config.LINKEDIN_OAUTH_URL,
      apiVersion: config.LINKEDIN_API_VERSION,
      clientId: config.LINKEDIN_CLIENT_ID,
      clientSecret: config.LINKEDIN_CLIENT_SECRET,
    }),
  };
}
