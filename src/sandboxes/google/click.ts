import type { Ad, AdGroup, Campaign, Click, Customer, GoogleWorld, Keyword } from './world';

/**
 * Click simulation: the URL a real click on an ad opens, assembled as reference §3.4 describes.
 *
 * - Tracking template: the most specific level that has one wins entirely
 *   (keyword → ad → ad group → campaign → customer).
 * - Final URL suffix: the most specific non-empty one, appended to the landing page's query.
 * - Custom parameters: resolved per key from the most specific level defining it; unknown keys → "".
 * - ValueTrack tags and custom parameters are substituted, then {lpurl} (and its escaped variants)
 *   is replaced by the expanded final URL + suffix.
 * - With auto-tagging on, gclid is added to the URL the browser opens.
 *
 * Parallel tracking (reference §3.4 rule 7) sends the browser straight to final URL + suffix and hits
 * the tracking template in the background. Read literally, parameters in a template would never reach
 * the landing page, which is not what advertisers (and this product's tracking, TRK-5) observe with
 * templates that begin with {lpurl}: there is no redirect to run in the background, the expanded
 * template *is* the landing URL.
 * unconfirmed: so this sandbox lands on the expanded template when it starts with an lpurl tag, and on
 * final URL + suffix (template pinged in the background, reported as `backgroundTrackingUrl`) when the
 * template starts with a third-party tracker's host.
 */

export type Device = 'm' | 't' | 'c';

export interface ClickOptions {
  /** search | search_partners | display | youtube | video_partners | discover | gmail */
  placement?: string;
  /** mobile | tablet | desktop (or m | t | c) */
  device?: string;
  keywordId?: string;
}

export interface ClickResult {
  landingUrl: string;
  /** Expanded final URL + final URL suffix (what parallel tracking opens). */
  finalUrl: string;
  /** The expanded tracking template, if any level has one. */
  trackingUrl: string | null;
  /** A template hit in the background instead of being the landing page (third-party trackers). */
  backgroundTrackingUrl: string | null;
  templateLevel: 'keyword' | 'ad' | 'adGroup' | 'campaign' | 'customer' | null;
  gclid: string | null;
  valueTrack: Record<string, string>;
  customParameters: Record<string, string>;
}

interface Levels {
  customer: Customer;
  campaign: Campaign;
  adGroup: AdGroup;
  ad: Ad;
  keyword?: Keyword;
}

// unconfirmed: letters for Demand Gen/Discovery placements (reference §3.5 confirms only x for PMax).
const NETWORK_LETTER: Record<string, string> = {
  search: 'g',
  search_partners: 's',
  display: 'd',
  youtube: 'ytv',
  video_partners: 'vp',
  discover: 'd',
  gmail: 'd',
};
const DEFAULT_PLACEMENT: Record<string, string> = {
  SEARCH: 'search',
  SMART: 'search',
  DISPLAY: 'display',
  VIDEO: 'youtube',
  DEMAND_GEN: 'discover',
};
const MATCH_LETTER = { EXACT: 'e', PHRASE: 'p', BROAD: 'b' } as const;

function deviceLetter(device: string | undefined): Device {
  const d = (device ?? 'c').toLowerCase();
  if (d === 'm' || d === 'mobile') return 'm';
  if (d === 't' || d === 'tablet') return 't';
  return 'c';
}

const nonEmpty = (v: string | undefined): v is string => v !== undefined && v !== '';

/** Escaping of {lpurl} when it does not start the template (reference §3.4 rule 5). */
function escapeLpurl(url: string): string {
  return url.replace(/[?="#\t' ]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Inserts a query fragment before any #fragment. */
export function appendQuery(url: string, query: string): string {
  if (query === '') return url;
  const hash = url.indexOf('#');
  const base = hash >= 0 ? url.slice(0, hash) : url;
  const fragment = hash >= 0 ? url.slice(hash) : '';
  return `${base}${base.includes('?') ? '&' : '?'}${query}${fragment}`;
}

function substitute(text: string, values: Record<string, string>, params: Record<string, string>, device: Device, network: string, lpurl?: string): string {
  return text.replace(/\{([^{}]*)\}/g, (whole, tag: string, offset: number) => {
    if (tag.startsWith('_')) return params[tag.slice(1)] ?? '';
    const conditional = /^(ifmobile|ifnotmobile|ifsearch|ifcontent):(.*)$/.exec(tag);
    if (conditional) {
      const [, kind, value = ''] = conditional;
      const holds =
        (kind === 'ifmobile' && device === 'm') ||
        (kind === 'ifnotmobile' && device !== 'm') ||
        (kind === 'ifsearch' && (network === 'g' || network === 's')) ||
        (kind === 'ifcontent' && network === 'd');
      return holds ? value : '';
    }
    if (lpurl !== undefined) {
      if (tag === 'lpurl') return offset === 0 ? lpurl : escapeLpurl(lpurl);
      if (tag === 'unescapedlpurl') return lpurl;
      if (tag === 'escapedlpurl') return encodeURIComponent(lpurl);
      if (tag === 'lpurl+2') return encodeURIComponent(encodeURIComponent(lpurl));
      if (tag === 'lpurl+3') return encodeURIComponent(encodeURIComponent(encodeURIComponent(lpurl)));
    }
    // unconfirmed: {ignore} only marks text for Google's review; the tag itself is removed at click time.
    if (tag === 'ignore') return '';
    return tag in values ? (values[tag] ?? '') : whole;
  });
}

export function resolveLevels(world: GoogleWorld, ad: Ad, keywordId?: string): Levels {
  const adGroup = world.adGroups.get(ad.adGroupId);
  const campaign = world.campaigns.get(ad.campaignId);
  const customer = world.customers.get(ad.customerId);
  if (!adGroup || !campaign || !customer) throw new Error(`ad ${ad.id} has no parent`);
  const keywords = world.keywordsOfAdGroup(adGroup.id).filter((k) => k.status === 'ENABLED');
  const keyword = keywordId ? world.keywords.get(keywordId) : campaign.channelType === 'SEARCH' ? keywords[0] : undefined;
  return { customer, campaign, adGroup, ad, ...(keyword ? { keyword } : {}) };
}

/** Which level's tracking template applies to an ad (most specific wins entirely). */
export function effectiveTemplate(levels: Levels): { value: string; level: NonNullable<ClickResult['templateLevel']> } | undefined {
  const order = [
    ['keyword', levels.keyword?.trackingUrlTemplate],
    ['ad', levels.ad.trackingUrlTemplate],
    ['adGroup', levels.adGroup.trackingUrlTemplate],
    ['campaign', levels.campaign.trackingUrlTemplate],
    ['customer', levels.customer.trackingUrlTemplate],
  ] as const;
  for (const [level, value] of order) if (nonEmpty(value)) return { value, level };
  return undefined;
}

export function simulateClick(world: GoogleWorld, ad: Ad, options: ClickOptions = {}): ClickResult {
  const levels = resolveLevels(world, ad, options.keywordId);
  const { customer, campaign, adGroup, keyword } = levels;
  const device = deviceLetter(options.device);
  const placement = options.placement ?? DEFAULT_PLACEMENT[campaign.channelType] ?? 'search';
  const network = campaign.channelType === 'PERFORMANCE_MAX' ? 'x' : (NETWORK_LETTER[placement] ?? 'g');
  const gclid = customer.autoTaggingEnabled ? world.newGclid() : null;

  const params: Record<string, string> = {};
  for (const level of [campaign, adGroup, ad, keyword]) {
    for (const p of level?.urlCustomParameters ?? []) params[p.key] = p.value;
  }
  const values: Record<string, string> = {
    campaignid: campaign.id,
    adgroupid: adGroup.id,
    creative: ad.id,
    // unconfirmed: the keyword is inserted URL-encoded.
    keyword: keyword ? encodeURIComponent(keyword.text) : '',
    matchtype: keyword ? MATCH_LETTER[keyword.matchType] : '',
    network,
    device,
    devicemodel: '',
    targetid: keyword ? `kwd-${keyword.id}` : '',
    feeditemid: '',
    extensionid: '',
    gclid: gclid ?? '',
    placement: network === 'd' || network === 'ytv' ? 'example-publisher.com' : '',
    adposition: '',
    random: String(Math.floor(world.random() * 1e12)),
    loc_physical_ms: '',
    loc_interest_ms: '',
    sourceid: '',
    adtype: '',
    target: '',
    assetgroupid: '',
  };

  const rawFinal = keyword?.finalUrls[0] ?? ad.finalUrls[0] ?? '';
  const suffix = [keyword?.finalUrlSuffix, ad.finalUrlSuffix, adGroup.finalUrlSuffix, campaign.finalUrlSuffix, customer.finalUrlSuffix].find(nonEmpty);
  const finalUrl = appendQuery(substitute(rawFinal, values, params, device, network), suffix ? substitute(suffix, values, params, device, network) : '');

  const template = effectiveTemplate(levels);
  let trackingUrl: string | null = null;
  let landing = finalUrl;
  let background: string | null = null;
  if (template) {
    trackingUrl = substitute(template.value, values, params, device, network, finalUrl);
    // unconfirmed: "{lpurl}?a=b" on a final URL that already has a query gets "&a=b" instead of a second "?",
    // and substitution is literal, so with a "#fragment" final URL the template's parameters end up in the fragment.
    const lead = /^\{(lpurl|unescapedlpurl)\}\?/.exec(template.value);
    if (lead && finalUrl.split('#')[0]?.includes('?')) {
      trackingUrl = `${finalUrl}&${trackingUrl.slice(finalUrl.length + 1)}`;
    }
    if (/^\{(lpurl|unescapedlpurl)\}/.test(template.value)) landing = trackingUrl;
    else background = trackingUrl;
  }
  const landingUrl = gclid ? appendQuery(landing, `gclid=${gclid}`) : landing;

  if (gclid) {
    const click: Click = {
      gclid,
      customerId: customer.id,
      campaignId: campaign.id,
      adGroupId: adGroup.id,
      adId: ad.id,
      ...(keyword ? { keywordId: keyword.id } : {}),
      at: world.now(),
      device,
      network,
      landingUrl,
    };
    world.clicks.set(gclid, click);
  }
  return {
    landingUrl,
    finalUrl,
    trackingUrl,
    backgroundTrackingUrl: background,
    templateLevel: template?.level ?? null,
    gclid,
    valueTrack: values,
    customParameters: params,
  };
}
