/**
 * The ids written into hsa_* parameters, in the plain form a click carries them. Networks name the
 * same object differently (Facebook `act_123`, LinkedIn `urn:li:sponsoredCreative:123`, Google
 * `123-456-7890` or `adGroupId~adId`), so writing and matching both go through these functions.
 */

/** `urn:li:sponsoredCampaign:123` → `123`; other ids unchanged. */
function stripUrn(id: string): string {
  const match = /^urn:li:[A-Za-z]+:(.+)$/.exec(id);
  return match?.[1] ?? id;
}

/** Facebook `act_123` → `123`; Google `123-456-7890` → `1234567890`; LinkedIn urn → `123`. */
export function plainAccountId(id: string): string {
  const bare = stripUrn(id.trim());
  if (bare.startsWith('act_')) return bare.slice('act_'.length);
  return /^[\d-]+$/.test(bare) ? bare.replace(/-/g, '') : bare;
}

/** Campaign, ad group and ad ids: urn prefix dropped, Google `adGroupId~adId` → `adId`. */
export function plainObjectId(id: string): string {
  const bare = stripUrn(id.trim());
  const tilde = bare.lastIndexOf('~');
  return tilde === -1 ? bare : bare.slice(tilde + 1);
}
