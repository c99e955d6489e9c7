import type { AdKind, Creative, Page, Placement } from './world';

/**
 * Creative specs of every ad kind the sandbox seeds, in the shapes of §3.1: link ads, lead ads
 * (`call_to_action.value.lead_gen_form_id`), Messenger-destination ads, standard carousels
 * (`child_attachments`), carousels with Placement Asset Customization and Instagram-placement ads.
 */
export interface CreativeSpec {
  objectStorySpec: Record<string, unknown>;
  assetFeedSpec?: Record<string, unknown>;
}

export interface SpecInput {
  page: Page;
  landingUrl: string;
  /** Further card/placement URLs on the same site (carousels, PAC). */
  extraUrls: [string, string];
  formId?: string;
  headline: string;
}

// unconfirmed: Click-to-Messenger creatives use this placeholder link plus app_destination MESSENGER.
export const MESSENGER_PLACEHOLDER_LINK = 'https://fb.com/messenger_doc/';

export function buildCreativeSpec(kind: AdKind, input: SpecInput): CreativeSpec {
  const { page, landingUrl, headline } = input;
  const image_hash = imageHash(headline);
  const message = `${headline} — see what's new.`;
  switch (kind) {
    case 'link':
    case 'instagram_link':
      return {
        objectStorySpec: {
          page_id: page.id,
          ...(kind === 'instagram_link' ? { instagram_user_id: page.instagramUserId } : {}),
          link_data: { link: landingUrl, message, name: headline, image_hash, call_to_action: { type: 'LEARN_MORE', value: { link: landingUrl } } },
        },
      };
    case 'lead':
      // unconfirmed: the lead ad's link_data.link is the advertiser site the form's "View website" opens.
      return {
        objectStorySpec: {
          page_id: page.id,
          link_data: {
            link: landingUrl,
            message,
            name: headline,
            image_hash,
            call_to_action: { type: 'SIGN_UP', value: { lead_gen_form_id: input.formId } },
          },
        },
      };
    case 'messenger':
      return {
        objectStorySpec: {
          page_id: page.id,
          link_data: {
            link: MESSENGER_PLACEHOLDER_LINK,
            message,
            name: headline,
            image_hash,
            call_to_action: { type: 'MESSAGE_PAGE', value: { app_destination: 'MESSENGER' } },
          },
        },
      };
    case 'carousel': {
      const cards = [landingUrl, ...input.extraUrls].map((link, i) => ({
        link,
        name: `${headline} ${i + 1}`,
        image_hash: imageHash(`${headline}-${i}`),
        call_to_action: { type: 'SHOP_NOW', value: { link } },
      }));
      return {
        objectStorySpec: {
          page_id: page.id,
          link_data: { link: landingUrl, message, child_attachments: cards, multi_share_optimized: true, multi_share_end_card: true },
        },
      };
    }
    case 'carousel_pac':
      // Placement Asset Customization lives in asset_feed_spec: labelled assets plus rules that pick
      // them per placement. unconfirmed: exact key set (§3.1 marks the asset_feed_spec path so).
      return {
        objectStorySpec: { page_id: page.id, instagram_user_id: page.instagramUserId },
        assetFeedSpec: {
          ad_formats: ['CAROUSEL'],
          images: [
            { hash: image_hash, adlabels: [{ name: 'fb_image' }] },
            { hash: imageHash(`${headline}-ig`), adlabels: [{ name: 'ig_image' }] },
          ],
          bodies: [{ text: message }],
          titles: [{ text: headline }],
          call_to_action_types: ['LEARN_MORE'],
          link_urls: [
            { website_url: landingUrl, adlabels: [{ name: 'fb_link' }] },
            { website_url: input.extraUrls[0], adlabels: [{ name: 'ig_link' }] },
          ],
          asset_customization_rules: [
            {
              customization_spec: { publisher_platforms: ['facebook'], facebook_positions: ['feed'] },
              image_label: { name: 'fb_image' },
              link_url_label: { name: 'fb_link' },
              priority: 1,
            },
            {
              customization_spec: { publisher_platforms: ['instagram'], instagram_positions: ['stream', 'story'] },
              image_label: { name: 'ig_image' },
              link_url_label: { name: 'ig_link' },
              priority: 2,
            },
          ],
        },
      };
  }
}

interface LinkData {
  link?: string;
  call_to_action?: { type?: string; value?: { link?: string; app_destination?: string; lead_gen_form_id?: string } };
  child_attachments?: { link?: string; call_to_action?: { value?: { link?: string } } }[];
}

interface AssetFeedSpec {
  link_urls?: { website_url?: string; adlabels?: { name: string }[] }[];
  asset_customization_rules?: { customization_spec?: { publisher_platforms?: string[] }; link_url_label?: { name: string }; priority?: number }[];
}

function linkDataOf(creative: Pick<Creative, 'objectStorySpec'>): LinkData | undefined {
  return creative.objectStorySpec?.link_data as LinkData | undefined;
}

export function leadFormIdOf(creative: Pick<Creative, 'objectStorySpec'>): string | undefined {
  return linkDataOf(creative)?.call_to_action?.value?.lead_gen_form_id;
}

export function isMessengerDestination(creative: Pick<Creative, 'objectStorySpec'>): boolean {
  return linkDataOf(creative)?.call_to_action?.value?.app_destination === 'MESSENGER';
}

/**
 * The off-Facebook URL a click opens for a placement, before url_tags: PAC rules pick a link by
 * placement, carousels open the clicked card, Messenger ads open no website (null).
 */
export function destinationFor(creative: Creative, placement: Placement, cardIndex = 0): string | null {
  const feed = creative.assetFeedSpec as AssetFeedSpec | undefined;
  if (feed?.link_urls?.length) {
    const rule = [...(feed.asset_customization_rules ?? [])]
      .sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0))
      .find((r) => r.customization_spec?.publisher_platforms?.includes(placement));
    const label = rule?.link_url_label?.name;
    const chosen = feed.link_urls.find((u) => label !== undefined && u.adlabels?.some((l) => l.name === label)) ?? feed.link_urls[0];
    return chosen?.website_url ?? null;
  }
  if (isMessengerDestination(creative)) return null;
  const linkData = linkDataOf(creative);
  const card = linkData?.child_attachments?.[cardIndex];
  return card?.link ?? linkData?.link ?? null;
}

/** A copy of the spec with its primary landing URL replaced (what an advertiser edit does). */
export function withLandingUrl(creative: Creative, url: string): CreativeSpec {
  const objectStorySpec = structuredClone(creative.objectStorySpec ?? {});
  const assetFeedSpec = creative.assetFeedSpec ? structuredClone(creative.assetFeedSpec) : undefined;
  const feed = assetFeedSpec as AssetFeedSpec | undefined;
  const first = feed?.link_urls?.[0];
  if (first) first.website_url = url;
  const linkData = objectStorySpec.link_data as LinkData | undefined;
  if (linkData && !isMessengerDestination(creative)) {
    linkData.link = url;
    if (linkData.call_to_action?.value?.link !== undefined) linkData.call_to_action.value.link = url;
    const card = linkData.child_attachments?.[0];
    if (card) {
      card.link = url;
      if (card.call_to_action?.value?.link !== undefined) card.call_to_action.value.link = url;
    }
  }
  return { objectStorySpec, ...(assetFeedSpec ? { assetFeedSpec } : {}) };
}

function imageHash(seed: string): string {
  let h = 0x811c9dc5;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(4);
}
