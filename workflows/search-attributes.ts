import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes operators filter on in the Web UI (OPS-1). Search attributes are NOT
 * encrypted by the payload codec, so only ids and states go here, never personal data.
 */
export const AdNetworkKey = defineSearchAttributeKey('AdNetwork', SearchAttributeType.KEYWORD);
export const AdAccountIdKey = defineSearchAttributeKey('AdAccountId', SearchAttributeType.KEYWORD);
export const AutoTrackingKey = defineSearchAttributeKey('AutoTracking', SearchAttributeType.BOOL);
export const AccountStatusKey = defineSearchAttributeKey('AccountStatus', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [AdNetworkKey, AdAccountIdKey, AutoTrackingKey, AccountStatusKey] as const;
