import { GraphError, invalidParameter, nonexistentNode } from './graph-error';
import type { RouteContext, RouteTable } from './graph-router';
import type { Ad, ConfiguredStatus, Creative, FacebookWorld } from './world';
import { asText } from './values';

/** Parameters `POST /act_{id}/adcreatives` takes. */
const CREATIVE_CREATE_PARAMS = [
  'name', 'object_story_spec', 'object_story_id', 'asset_feed_spec', 'url_tags', 'call_to_action_type',
  'adlabels', 'degrees_of_freedom_spec', 'execution_options',
];
/** §3.3: creatives are immutable apart from these. */
const CREATIVE_UPDATE_PARAMS = ['name', 'status', 'adlabels', 'account_id'];
const AD_UPDATE_PARAMS = [
  'creative', 'name', 'status', 'adlabels', 'tracking_specs', 'conversion_domain', 'bid_amount',
  'display_sequence', 'priority', 'execution_options',
];
const CONFIGURED_STATUSES: readonly ConfiguredStatus[] = ['ACTIVE', 'PAUSED', 'DELETED', 'ARCHIVED'];

export type CreativeInput = Partial<Pick<Creative, 'name' | 'urlTags' | 'objectStorySpec' | 'assetFeedSpec' | 'objectStoryId' | 'callToActionType' | 'adlabels'>>;

/** Parses and checks a creative spec against the account's Pages and lead forms; creates nothing. */
export function parseCreativeInput(world: FacebookWorld, accountId: string, raw: Record<string, unknown>): CreativeInput {
  for (const key of Object.keys(raw)) {
    if (!CREATIVE_CREATE_PARAMS.includes(key) && key !== 'access_token' && key !== 'appsecret_proof') {
      throw invalidParameter(`Param ${key} is not a valid parameter`);
    }
  }
  const objectStorySpec = objectParam(raw, 'object_story_spec');
  const assetFeedSpec = objectParam(raw, 'asset_feed_spec');
  const objectStoryId = optionalString(raw, 'object_story_id');
  if (!objectStorySpec && !objectStoryId) throw invalidParameter('Either object_story_spec or object_story_id must be specified');
  if (objectStorySpec) {
    const page = world.pages.get(asText(objectStorySpec.page_id));
    if (!page || page.accountId !== accountId) throw invalidParameter('Param object_story_spec[page_id] must be a Page this ad account can advertise for');
    const linkData = objectStorySpec.link_data as { link?: unknown; call_to_action?: { value?: { lead_gen_form_id?: unknown } } } | undefined;
    if (linkData) {
      if (typeof linkData.link !== 'string' || !/^https?:\/\/\S+$/.test(linkData.link)) {
        throw invalidParameter('Param object_story_spec[link_data][link] must be a valid URL', { error_subcode: 1349125 });
      }
      const formId = linkData.call_to_action?.value?.lead_gen_form_id;
      if (formId !== undefined && world.forms.get(asText(formId))?.pageId !== page.id) {
        throw invalidParameter(`Lead form ${asText(formId)} does not belong to Page ${page.id}`);
      }
    } else if (!assetFeedSpec) {
      throw invalidParameter('object_story_spec needs link_data (or an asset_feed_spec) for a link ad');
    }
  }
  const urlTags = optionalString(raw, 'url_tags');
  return {
    name: optionalString(raw, 'name') ?? `Creative ${world.nowSeconds()}`,
    ...(urlTags !== undefined ? { urlTags } : {}),
    ...(objectStorySpec ? { objectStorySpec } : {}),
    ...(assetFeedSpec ? { assetFeedSpec } : {}),
    ...(objectStoryId ? { objectStoryId } : {}),
    ...(typeof raw.call_to_action_type === 'string' ? { callToActionType: raw.call_to_action_type } : {}),
    ...(raw.adlabels !== undefined ? { adlabels: raw.adlabels } : {}),
  };
}

export function createCreative(world: FacebookWorld, accountId: string, input: CreativeInput): Creative {
  const creative: Creative = {
    id: world.newId(),
    accountId,
    name: input.name ?? 'Creative',
    status: 'ACTIVE',
    createdTime: world.nowSeconds(),
    ...input,
  };
  world.creatives.set(creative.id, creative);
  return creative;
}

/** Points the ad at another creative: a significant edit that sends the ad back to review (§3.3). The caller touches the ad. */
export function swapCreative(world: FacebookWorld, ad: Ad, creativeId: string): void {
  if (ad.creativeId === creativeId) return;
  ad.creativeId = creativeId;
  ad.review = 'pending_review';
  const adset = world.adsets.get(ad.adsetId);
  if (adset) adset.lastSigEditTime = world.nowSeconds();
}

function updateAd(ctx: RouteContext): unknown {
  ctx.allowParams(AD_UPDATE_PARAMS);
  const ad = ctx.world.ads.get(ctx.nodeId);
  if (!ad) throw nonexistentNode(ctx.nodeId, 'POST');
  ctx.auth().requireScope('ads_management');
  const validateOnly = executionOptions(ctx).includes('validate_only');
  const status = ctx.string('status');
  if (status !== undefined && !CONFIGURED_STATUSES.includes(status as ConfiguredStatus)) {
    throw invalidParameter(`Param status must be one of {${CONFIGURED_STATUSES.join(', ')}}`);
  }
  const name = ctx.string('name');
  if (name !== undefined && !name.trim()) throw invalidParameter('Param name must be a non-empty string');

  let newCreative: (() => string) | undefined;
  if (ctx.params.creative !== undefined) {
    const spec = ctx.json('creative');
    if (!isObject(spec)) throw invalidParameter('Param creative must be an object');
    // §3.3: Meta documents pointing an ad at an existing creative, `{"creative_id": …}`; a new
    // creative is made first with POST /act_<id>/adcreatives. An inline spec is not documented.
    const keys = Object.keys(spec);
    if (spec.creative_id === undefined || keys.some((k) => k !== 'creative_id')) {
      throw invalidParameter('Param creative must be {"creative_id": <id>}: create the creative with /act_<id>/adcreatives first');
    }
    const creative = ctx.world.creatives.get(asText(spec.creative_id));
    if (!creative || creative.accountId !== ad.accountId) throw invalidParameter(`Creative ${asText(spec.creative_id)} does not exist in this ad account`);
    newCreative = () => creative.id;
  }
  if (validateOnly) return { success: true };

  if (newCreative) swapCreative(ctx.world, ad, newCreative());
  if (name !== undefined) ad.name = name;
  if (status !== undefined) ad.status = status as ConfiguredStatus;
  ctx.world.touch(ad);
  return { success: true };
}

function updateCreative(ctx: RouteContext): unknown {
  const creative = ctx.world.creatives.get(ctx.nodeId);
  if (!creative) throw nonexistentNode(ctx.nodeId, 'POST');
  ctx.auth().requireScope('ads_management');
  const immutable = Object.keys(ctx.params).filter(
    (key) => !CREATIVE_UPDATE_PARAMS.includes(key) && key !== 'access_token' && key !== 'appsecret_proof',
  );
  if (immutable.length > 0) {
    // unconfirmed: exact error shape for editing an immutable creative field (§11.5).
    throw new GraphError(400, {
      message: `(#100) Param ${immutable.join(', ')} cannot be updated: ad creatives are immutable`,
      type: 'OAuthException',
      code: 100,
      error_user_title: 'Ad Creative Cannot Be Edited',
      error_user_msg: 'Only name, status and adlabels of an ad creative can change. Create a new creative and point the ad at it.',
    });
  }
  const name = ctx.string('name');
  const status = ctx.string('status');
  if (name !== undefined) creative.name = name;
  if (status === 'ACTIVE' || status === 'DELETED') creative.status = status;
  else if (status !== undefined) throw invalidParameter('Param status must be one of {ACTIVE, DELETED}');
  if (ctx.params.adlabels !== undefined) creative.adlabels = ctx.json('adlabels');
  return { success: true };
}

function updateParent(kind: 'campaigns' | 'adsets') {
  return (ctx: RouteContext): unknown => {
    const node = ctx.world[kind].get(ctx.nodeId);
    if (!node) throw nonexistentNode(ctx.nodeId, 'POST');
    ctx.auth().requireScope('ads_management');
    ctx.allowParams(['name', 'status', 'execution_options']);
    const name = ctx.string('name');
    const status = ctx.string('status');
    if (status !== undefined && !CONFIGURED_STATUSES.includes(status as ConfiguredStatus)) {
      throw invalidParameter(`Param status must be one of {${CONFIGURED_STATUSES.join(', ')}}`);
    }
    if (executionOptions(ctx).includes('validate_only')) return { success: true };
    if (name !== undefined) node.name = name;
    if (status !== undefined) node.status = status as ConfiguredStatus;
    ctx.world.touch(node);
    return { success: true };
  };
}

function createCreativeRoute(ctx: RouteContext): unknown {
  const account = ctx.world.accounts.get(ctx.nodeId);
  if (!account) throw nonexistentNode(ctx.nodeId, 'POST');
  ctx.auth().requireScope('ads_management');
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ctx.params)) raw[key] = key === 'object_story_spec' || key === 'asset_feed_spec' ? ctx.json(key) : ctx.params[key];
  const input = parseCreativeInput(ctx.world, account.id, raw);
  if (executionOptions(ctx).includes('validate_only')) return { success: true };
  return { id: createCreative(ctx.world, account.id, input).id };
}

function deleteAd(ctx: RouteContext): unknown {
  const ad = ctx.world.ads.get(ctx.nodeId);
  if (!ad) throw nonexistentNode(ctx.nodeId, 'DELETE');
  ctx.auth().requireScope('ads_management');
  ad.status = 'DELETED';
  ctx.world.touch(ad);
  return { success: true };
}

function executionOptions(ctx: RouteContext): string[] {
  const value = ctx.json('execution_options');
  return Array.isArray(value) ? value.map(String) : [];
}

function objectParam(raw: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  let value = raw[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw invalidParameter(`Param ${name} must be a JSON object`);
    }
  }
  if (!isObject(value)) throw invalidParameter(`Param ${name} must be a JSON object`);
  return value;
}

function optionalString(raw: Record<string, unknown>, name: string): string | undefined {
  const value = raw[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidParameter(`Param ${name} must be a string`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const write = (handler: (ctx: RouteContext) => unknown) => ({ handler, auth: true, buc: 'ads_management' as const });

export const writeRoutes: RouteTable = {
  'POST act/adcreatives': write(createCreativeRoute),
  'POST ad': write(updateAd),
  'DELETE ad': write(deleteAd),
  'POST creative': write(updateCreative),
  'POST campaign': write(updateParent('campaigns')),
  'POST adset': write(updateParent('adsets')),
};
