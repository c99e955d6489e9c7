import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AdAccountInfo, Network } from '../src/networks/types';
import { retryPolicy } from './failures';

export interface ConnectInput {
  network: Network;
  connectionId: string;
  /** Single-use authorization code; encrypted in the history by the payload codec. */
  code: string;
  redirectUri: string;
  /** PKCE verifier of the console's connect flow (Google); encrypted in the history like the code. */
  codeVerifier?: string;
}

export interface ConnectResult {
  connectionId: string;
  network: Network;
  /** Accounts the token reaches, for the admin to pick from (not stored in the database, ACC-3). */
  adAccounts: AdAccountInfo[];
}

const acts = wf.proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: retryPolicy('network', { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 6 }),
});

/**
 * `connect/<network>/<connectionId>`: exchanges the code for tokens, stores them sealed, and lists the
 * ad accounts they reach. Tokens never come back into the workflow: activities load them by
 * connection id.
 */
export async function connectWorkflow(input: ConnectInput): Promise<ConnectResult> {
  await acts.exchangeCodeAndStore(input);
  const adAccounts = await acts.listReachableAccounts({ connectionId: input.connectionId });
  return { connectionId: input.connectionId, network: input.network, adAccounts };
}
