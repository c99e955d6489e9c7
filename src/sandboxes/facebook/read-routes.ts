import { checkSelection, project, type NodeSchema, type NodeView } from './fields';
import { GraphError, invalidParameter, nonexistentNode } from './graph-error';
import type { RouteContext, RouteTable } from './graph-router';
import {
  SCHEMAS,
  accountView,
  adView,
  adsetView,
  campaignView,
  creativeView,
  formView,
  leadView,
  pageView,
  pixelView,
  userView,
} from './nodes';
import { cursorKey, limitOf, paginate } from './paging';
import type { Ad, FacebookWorld, NodeType } from './world';

const AD_EFFECTIVE_STATUSES = [
  'ACTIVE', 'PAUSED', 'DELETED', 'ARCHIVED', 'PENDING_REVIEW', 'DISAPPROVED', 'PREAPPROVED',
  'PENDING_BILLING_INFO', 'CAMPAIGN_PAUSED', 'ADSET_PAUSED', 'IN_PROCESS', 'WITH_ISSUES',
];
// unconfirmed (§2.4): which statuses an edge returns without a filter; deleted/archived are left out here.
const DEFAULT_HIDDEN_STATUSES = ['DELETED', 'ARCHIVED'];
const MAX_IDS = 50;

/** Builds a projected, paged edge answer; unknown fields fail even when the edge is empty. */
export function listEdge<T>(ctx: RouteContext, items: readonly T[], keyOf: (item: T) => string, view: (item: T) => NodeView, schema: NodeSchema) {
  const selection = ctx.selection();
  checkSelection(schema, selection);
  const page = paginate(items, keyOf, ctx.links());
  return { ...page, data: page.data.map((item) => project(view(item), schema, selection)) };
}

/** Renders any node by id, or undefined when the sandbox has no such node. */
export function viewOfNode(world: FacebookWorld, type: NodeType, id: string): { view: NodeView; schema: NodeSchema } | undefined {
  switch (type) {
    case 'ad':
      return withSchema(world.ads.get(id), (ad) => adView(world, ad), SCHEMAS.ad);
    case 'adset':
      return withSchema(world.adsets.get(id), (adset) => adsetView(world, adset), SCHEMAS.adset);
    case 'campaign':
      return withSchema(world.campaigns.get(id), (campaign) => campaignView(world, campaign), SCHEMAS.campaign);
    case 'creative':
      return withSchema(world.creatives.get(id), (creative) => creativeView(world, creative), SCHEMAS.creative);
    case 'page':
      return withSchema(world.pages.get(id), (page) => pageView(page), SCHEMAS.page);
    case 'form':
      return withSchema(world.forms.get(id), (form) => formView(world, form), SCHEMAS.form);
    case 'lead':
      return withSchema(world.leads.get(id), (lead) => leadView(world, lead), SCHEMAS.lead);
    case 'pixel':
      return withSchema(world.pixels.get(id), pixelView, SCHEMAS.pixel);
    case 'user':
      return withSchema(world.userById(id), userView, SCHEMAS.user);
    case 'business':
      return withSchema(world.businesses.get(id), (business) => ({ ...business }), SCHEMAS.business);
  }
}

function withSchema<T>(item: T | undefined, view: (item: T) => NodeView, schema: NodeSchema) {
  return item === undefined ? undefined : { view: view(item), schema };
}

export function readNode(ctx: RouteContext): unknown {
  const id = ctx.nodeId;
  const type = ctx.route.target as NodeType;
  if (type === 'user') {
    if (ctx.auth().user.id !== id) throw nonexistentNode(id, 'GET');
  } else if (type !== 'business') {
    ctx.requireVisible(id);
  }
  const node = viewOfNode(ctx.world, type, id);
  if (!node) throw nonexistentNode(id, 'GET');
  return project(node.view, node.schema, ctx.selection());
}

/** `GET /?ids=a,b&fields=…` answers a map keyed by id; unknown ids fail the whole call (code 803). */
function readMany(ctx: RouteContext): unknown {
  const raw = ctx.string('ids');
  if (!raw) throw invalidParameter('Unsupported get request: no node or ids given');
  const ids = [...new Set(raw.split(',').map((id) => id.trim()).filter(Boolean))];
  if (ids.length > MAX_IDS) throw invalidParameter(`Too many IDs. Maximum: ${MAX_IDS}.`);
  const missing = ids.filter((id) => {
    const accountId = ctx.world.accountOf(id);
    return !accountId || !ctx.auth().canSeeAccount(accountId);
  });
  if (missing.length > 0) {
    throw new GraphError(404, { message: `(#803) Some of the aliases you requested do not exist: ${missing.join(',')}`, type: 'OAuthException', code: 803 });
  }
  const selection = ctx.selection();
  const out: Record<string, unknown> = {};
  for (const id of ids) {
    const account = ctx.world.accounts.get(id);
    const type = ctx.world.nodeType(id);
    const node = account ? { view: accountView(account), schema: SCHEMAS.adAccount } : type && viewOfNode(ctx.world, type, id);
    if (node) out[id] = project(node.view, node.schema, selection);
  }
  return out;
}

function visibleAccounts(ctx: RouteContext) {
  const auth = ctx.auth();
  auth.requireScope('ads_read', 'ads_management');
  return [...ctx.world.accounts.values()].filter((account) => auth.canSeeAccount(account.id));
}

function requireAccount(ctx: RouteContext) {
  const account = ctx.world.accounts.get(ctx.nodeId);
  if (!account) throw nonexistentNode(ctx.nodeId, ctx.call.method);
  ctx.requireVisible(account.id);
  ctx.auth().requireScope('ads_read', 'ads_management');
  return account;
}

/** `effective_status=[…]`, `filtering=[{field:"effective_status",operator:"IN",value:[…]}]`, `updated_since`. */
function statusFilter(ctx: RouteContext): (status: string) => boolean {
  const wanted = new Set<string>();
  const list = ctx.json('effective_status');
  if (list !== undefined) {
    if (!Array.isArray(list)) throw invalidParameter('Param effective_status must be an array');
    list.forEach((s, i) => {
      if (typeof s !== 'string' || !AD_EFFECTIVE_STATUSES.includes(s)) {
        throw invalidParameter(`Param effective_status[${i}] must be one of {${AD_EFFECTIVE_STATUSES.join(', ')}}`);
      }
      wanted.add(s);
    });
  }
  const filtering = ctx.json('filtering');
  if (filtering !== undefined) {
    if (!Array.isArray(filtering)) throw invalidParameter('Param filtering must be an array');
    for (const rule of filtering as { field?: string; operator?: string; value?: unknown }[]) {
      if (rule.field !== 'effective_status' || rule.operator !== 'IN' || !Array.isArray(rule.value)) {
        throw invalidParameter(`Filtering field ${String(rule.field)} with operator ${String(rule.operator)} is not supported`);
      }
      for (const s of rule.value) wanted.add(String(s));
    }
  }
  if (wanted.size === 0) return (status) => !DEFAULT_HIDDEN_STATUSES.includes(status);
  return (status) => wanted.has(status);
}

function updatedSince(ctx: RouteContext): number {
  const raw = ctx.params.updated_since;
  if (raw === undefined || raw === '') return 0;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw invalidParameter('Param updated_since must be a Unix timestamp');
  return value;
}

/** Newest first, like Ads Manager; ties broken by id so cursors stay stable. */
function newestFirst<T extends { createdTime: number; id: string }>(items: T[]): T[] {
  return items.sort((a, b) => b.createdTime - a.createdTime || b.id.localeCompare(a.id));
}

function listAds(ctx: RouteContext, ads: Ad[]) {
  const keep = statusFilter(ctx);
  const since = updatedSince(ctx);
  const filtered = ads.filter((ad) => keep(ctx.world.adEffectiveStatus(ad)) && ad.updatedTime >= since);
  return listEdge(ctx, newestFirst(filtered), (ad) => ad.id, (ad) => adView(ctx.world, ad), SCHEMAS.ad);
}

/**
 * An account's ads edge, a page at a time without touching the rest of the account: from the cursor's
 * position in the account's ordered ads, the next matching ads (one more than the page, so `next` is
 * known). `paginate` then pages that window exactly as it pages the whole list, and a cursor whose ad
 * no longer matches fails the same way. Paging backwards (`before`) takes the general path.
 */
function listAccountAds(ctx: RouteContext, accountId: string) {
  const { ads, position } = ctx.world.accountAdsNewestFirst(accountId);
  const params = ctx.links().params;
  if (typeof params.before === 'string' && params.before !== '') return listAds(ctx, [...ads]);
  const keep = statusFilter(ctx);
  const since = updatedSince(ctx);
  const matches = (ad: Ad) => keep(ctx.world.adEffectiveStatus(ad)) && ad.updatedTime >= since;
  const limit = limitOf(params.limit);
  const window: Ad[] = [];
  let from = 0;
  if (typeof params.after === 'string' && params.after !== '') {
    const at = position.get(cursorKey(params.after));
    const cursorAd = at === undefined ? undefined : ads[at];
    if (at !== undefined && cursorAd && matches(cursorAd)) {
      window.push(cursorAd);
      from = at + 1;
    } else from = ads.length; // paginate reports the cursor as gone
  }
  for (let i = from; i < ads.length && window.length < limit + 1 + (from > 0 ? 1 : 0); i += 1) if (matches(ads[i]!)) window.push(ads[i]!);
  return listEdge(ctx, window, (ad) => ad.id, (ad) => adView(ctx.world, ad), SCHEMAS.ad);
}

const byKey = (item: { id: string }) => item.id;
const read = (handler: (ctx: RouteContext) => unknown) => ({ handler, auth: true, buc: 'ads_management' as const });

export const readRoutes: RouteTable = {
  'GET root': { handler: readMany, auth: true },
  'GET me': { handler: (ctx) => project(userView(ctx.auth().user), SCHEMAS.user, ctx.selection()), auth: true },
  'GET me/adaccounts': {
    handler: (ctx) => listEdge(ctx, visibleAccounts(ctx), byKey, accountView, SCHEMAS.adAccount),
    auth: true,
  },
  'GET me/accounts': {
    handler: (ctx) => {
      const auth = ctx.auth();
      auth.requireScope('pages_show_list');
      const pages = [...ctx.world.pages.values()].filter((page) => auth.canSeeAccount(page.accountId));
      return listEdge(ctx, pages, byKey, (page) => pageView(page, ctx.state.tokens.pageToken(auth.record, page.id, page.accountId)), SCHEMAS.page);
    },
    auth: true,
  },
  'GET act': read((ctx) => project(accountView(requireAccount(ctx)), SCHEMAS.adAccount, ctx.selection())),
  'GET act/ads': read((ctx) => listAccountAds(ctx, requireAccount(ctx).id)),
  'GET act/campaigns': read((ctx) => {
    const account = requireAccount(ctx);
    const keep = statusFilter(ctx);
    const campaigns = [...ctx.world.campaigns.values()].filter((c) => c.accountId === account.id && keep(ctx.world.campaignEffectiveStatus(c)));
    return listEdge(ctx, newestFirst(campaigns), byKey, (c) => campaignView(ctx.world, c), SCHEMAS.campaign);
  }),
  'GET act/adsets': read((ctx) => {
    const account = requireAccount(ctx);
    const keep = statusFilter(ctx);
    const since = updatedSince(ctx);
    const adsets = [...ctx.world.adsets.values()].filter(
      (s) => s.accountId === account.id && keep(ctx.world.adsetEffectiveStatus(s)) && s.updatedTime >= since,
    );
    return listEdge(ctx, newestFirst(adsets), byKey, (s) => adsetView(ctx.world, s), SCHEMAS.adset);
  }),
  'GET act/adcreatives': read((ctx) => {
    const account = requireAccount(ctx);
    const creatives = [...ctx.world.creatives.values()].filter((c) => c.accountId === account.id);
    return listEdge(ctx, newestFirst(creatives), byKey, (c) => creativeView(ctx.world, c), SCHEMAS.creative);
  }),
  // unconfirmed: AdAccount edge `promote_pages` (Pages the account can advertise for); not in the reference.
  'GET act/promote_pages': read((ctx) => {
    const account = requireAccount(ctx);
    const pages = [...ctx.world.pages.values()].filter((page) => page.accountId === account.id);
    return listEdge(ctx, pages, byKey, (page) => pageView(page), SCHEMAS.page);
  }),
  'GET campaign/ads': read((ctx) => listAds(ctx, [...ctx.world.ads.values()].filter((ad) => ad.campaignId === ctx.nodeId))),
  'GET adset/ads': read((ctx) => listAds(ctx, [...ctx.world.ads.values()].filter((ad) => ad.adsetId === ctx.nodeId))),
  'GET ad': read(readNode),
  'GET adset': read(readNode),
  'GET campaign': read(readNode),
  'GET creative': read(readNode),
  'GET page': { handler: readNode, auth: true },
  'GET pixel': { handler: readNode, auth: true },
  'GET user': { handler: readNode, auth: true },
  'GET business': { handler: readNode, auth: true },
};
