import { destinationFor } from './creative-specs';
import type { FacebookWorld, Placement } from './world';

// unconfirmed enumerations (§3.2): values seen in the wild for {{placement}} and {{site_source_name}}.
const PLACEMENT_VALUES: Record<Placement, { placement: string; siteSourceName: string }> = {
  facebook: { placement: 'Facebook_Mobile_Feed', siteSourceName: 'fb' },
  instagram: { placement: 'Instagram_Feed', siteSourceName: 'ig' },
  messenger: { placement: 'Messenger_Inbox', siteSourceName: 'msg' },
  audience_network: { placement: 'Audience_Network_Classic', siteSourceName: 'an' },
};

export interface ClickResult {
  /** null when the ad opens no website (Messenger destination). */
  landingUrl: string | null;
  /** The click id Facebook appends to the opened URL; null when no website opens. */
  fbclid: string | null;
  placement: Placement;
  siteSourceName: string;
  effectiveStatus: string;
}

export class ClickError extends Error {}

/**
 * The URL a click on the ad opens right now: the creative's destination for that placement with
 * its url_tags appended (before any #fragment) and every `{{…}}` macro resolved. Name macros use
 * the names frozen at first publish, so a later rename does not show (§3.2). Like every outbound
 * link click on Facebook, the URL also carries a fresh `fbclid`, which a Conversions API event's
 * `fbc` can name later.
 */
export function simulateClick(world: FacebookWorld, adId: string, options: { placement?: Placement; card?: number } = {}): ClickResult {
  const ad = world.ads.get(adId);
  if (!ad) throw new ClickError(`unknown ad ${adId}`);
  const adset = world.adsets.get(ad.adsetId);
  const creative = world.creatives.get(ad.creativeId);
  if (!adset || !creative) throw new ClickError(`ad ${adId} has no ad set or creative`);
  const placement = options.placement ?? adset.publisherPlatforms[0] ?? 'facebook';
  if (!adset.publisherPlatforms.includes(placement)) {
    throw new ClickError(`ad ${adId} does not run on ${placement} (ad set places on ${adset.publisherPlatforms.join(', ')})`);
  }
  const values = PLACEMENT_VALUES[placement];
  const names = ad.publishSnapshot ?? world.currentNames(ad);
  const macros: Record<string, string> = {
    'campaign.id': ad.campaignId,
    'adset.id': ad.adsetId,
    'ad.id': ad.id,
    'campaign.name': names.campaignName,
    'adset.name': names.adsetName,
    'ad.name': names.adName,
    placement: values.placement,
    site_source_name: values.siteSourceName,
  };
  const destination = destinationFor(creative, placement, options.card ?? 0);
  const tagged = destination === null ? null : resolveMacros(appendQuery(destination, creative.urlTags ?? ''), macros);
  const fbclid = tagged === null ? null : world.clickAttribution.recordClick(world.seed, ad.id, world.nowSeconds());
  const landingUrl = tagged === null || fbclid === null ? null : appendQuery(tagged, `fbclid=${fbclid}`);
  return { landingUrl, fbclid, placement, siteSourceName: values.siteSourceName, effectiveStatus: world.adEffectiveStatus(ad) };
}

/** Unknown macros stay literal, as they do on real clicks. */
function resolveMacros(url: string, macros: Record<string, string>): string {
  return url.replace(/\{\{\s*([a-z_.]+)\s*\}\}/g, (whole, name: string) => {
    const value = macros[name];
    return value === undefined ? whole : encodeURIComponent(value);
  });
}

function appendQuery(url: string, tags: string): string {
  const trimmed = tags.replace(/^[?&]+/, '');
  if (!trimmed) return url;
  const hashAt = url.indexOf('#');
  const base = hashAt < 0 ? url : url.slice(0, hashAt);
  const fragment = hashAt < 0 ? '' : url.slice(hashAt);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${trimmed}${fragment}`;
}
