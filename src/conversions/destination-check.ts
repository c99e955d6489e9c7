/**
 * CONV-1: where a definition's events go — the Facebook pixel, the Google conversion action, the
 * LinkedIn conversion rule — is read back from the network with the account's own token before the
 * definition is stored. A wrong id used to be accepted (201) and then failed every event it sent.
 */
import type { AdAccountRecord } from '../db/models/ad-account';
import type { ConversionDefinitionRecord } from '../db/models/conversion-definition';
import type { Models } from '../db/models';
import { freshTokens, type TokenDeps } from '../networks/access-token';
import { isNetworkError } from '../networks/errors';
import type { Network } from '../networks/types';

export interface DestinationCheckDeps extends TokenDeps {
  models: Pick<Models, 'Connection' | 'AdAccount'>;
}

/** A refusal in the API's terms; the definitions service turns it into its own error. */
export interface DestinationRefusal {
  status: 409 | 422 | 503;
  code: string;
  field: string;
  message: string;
  retryAfterSeconds?: number;
}

/** Checks the destination of a definition about to be stored: undefined when the network knows it. */
export type CheckDestination = (record: Pick<ConversionDefinitionRecord, 'network' | 'accountKey' | 'pixelId' | 'conversionAction' | 'conversionRule'>) => Promise<DestinationRefusal | undefined>;

const FIELDS: Record<Network, { field: string; label: string; code: string }> = {
  facebook: { field: 'pixelId', label: 'pixel', code: 'pixel' },
  google: { field: 'conversionActionId', label: 'conversion action', code: 'conversion_action' },
  linkedin: { field: 'conversionRuleId', label: 'conversion rule', code: 'conversion_rule' },
};

/** Retry-After when the network gave no hint of its own. */
const DEFAULT_RETRY_AFTER_SECONDS = 30;

function destinationOf(record: Parameters<CheckDestination>[0]): string | null {
  return record.network === 'facebook' ? record.pixelId : record.network === 'google' ? record.conversionAction : record.conversionRule;
}

export function destinationChecker(deps: DestinationCheckDeps): CheckDestination {
  return async (record) => {
    const destination = destinationOf(record);
    const { field, label, code } = FIELDS[record.network];
    if (!destination) return undefined;
    const reconnect: DestinationRefusal = {
      status: 409,
      code: 'ad_account_needs_reconnect',
      field,
      message: `The ${record.network} account's token was refused, so its ${label} cannot be checked; reconnect the account.`,
    };
    const account = await deps.models.AdAccount.findById(record.accountKey).lean<AdAccountRecord>();
    const connection = account?.connectionId ? await deps.models.Connection.findById(account.connectionId).lean() : null;
    if (!account?.connectionId || !connection?.tokens || connection.status !== 'active') return reconnect;
    try {
      const tokens = await freshTokens(deps, account.connectionId, record.network, connection.tokens);
      const answer = await deps.clients[record.network].checkConversionDestination(tokens.accessToken, account.externalId, destination);
      if (answer.ok) return undefined;
      return { status: 422, code: `${code}_${answer.problem}`, field, message: answer.message };
    } catch (error) {
      if (!isNetworkError(error)) throw error;
      if (error.kind === 'auth') return reconnect;
      if (error.kind === 'invalid') return { status: 422, code: `${code}_not_found`, field, message: `${record.network} refused to read the ${label} "${destination}" (${error.code}).` };
      return {
        status: 503,
        code: 'network_unavailable',
        field,
        message: `${record.network} could not be asked whether the ${label} exists; nothing was stored, try again shortly.`,
        retryAfterSeconds: error.retryAfterMs ? Math.ceil(error.retryAfterMs / 1000) : DEFAULT_RETRY_AFTER_SECONDS,
      };
    }
  };
}
