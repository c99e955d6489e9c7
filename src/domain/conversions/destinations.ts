/** Where a definition's events go on each network, in the form the network's API wants. */
import { plainAccountId } from '../tracking/ids';

const GOOGLE_ACTION_RESOURCE = /^customers\/(\d+)\/conversionActions\/(\d+)$/;
const LINKEDIN_RULE_URN = /^urn:lla:llaPartnerConversion:(\d+)$/;

/**
 * Google `conversionAction` resource name (reference google §4.2) from an action id or a resource
 * name; `undefined` when malformed or naming another customer's action.
 */
export function googleConversionActionResource(customerId: string, actionIdOrResource: string): string | undefined {
  const customer = plainAccountId(customerId);
  const value = actionIdOrResource.trim();
  if (/^\d+$/.test(value)) return `customers/${customer}/conversionActions/${value}`;
  const match = GOOGLE_ACTION_RESOURCE.exec(value);
  return match?.[1] === customer ? value : undefined;
}

/** LinkedIn `conversion` URN (reference linkedin §4.1) from a rule id or URN; `undefined` when malformed. */
export function linkedInConversionUrn(ruleIdOrUrn: string): string | undefined {
  const value = ruleIdOrUrn.trim();
  if (/^\d+$/.test(value)) return `urn:lla:llaPartnerConversion:${value}`;
  return LINKEDIN_RULE_URN.test(value) ? value : undefined;
}
