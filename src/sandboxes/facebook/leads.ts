import { pick, seededRandom } from '../kit/rng';
import { leadFormIdOf } from './creative-specs';
import { invalidParameter } from './graph-error';
import type { RouteContext, RouteTable } from './graph-router';
import { SCHEMAS, formView, leadView } from './nodes';
import { listEdge, readNode } from './read-routes';
import type { FacebookWorld, Lead, LeadForm } from './world';

export interface LeadInput {
  email?: string;
  fullName?: string;
  phone?: string;
  adId?: string;
  organic?: boolean;
  /** Unix seconds; defaults to the sandbox clock. */
  createdTime?: number;
}

const FIRST_NAMES = ['Ada', 'Björn', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas'];
const LAST_NAMES = ['Lovelace', 'Nilsson', 'Dubois', 'Petrov', 'Larsen', 'Haddad', 'Hopper', 'Tanaka', 'García', 'Weber'];

export function leadAdsOfForm(world: FacebookWorld, formId: string) {
  return [...world.ads.values()]
    .filter((ad) => {
      const creative = world.creatives.get(ad.creativeId);
      return creative !== undefined && leadFormIdOf(creative) === formId;
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Persists leads as a form submission would; ad-less or `organic` input gives organic leads (LEAD-3). */
export function createLeads(world: FacebookWorld, form: LeadForm, inputs: LeadInput[]): Lead[] {
  const formAds = leadAdsOfForm(world, form.id);
  return inputs.map((input) => {
    const id = world.newLeadId();
    const random = seededRandom(Number(id.slice(-9)) ^ world.seed);
    const fullName = input.fullName ?? `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`;
    const email = input.email ?? `${fullName.toLowerCase().normalize('NFD').replace(/[^a-z ]/g, '').replace(' ', '.')}.${id.slice(-4)}@example.com`;
    const ad = input.organic ? undefined : input.adId ? world.ads.get(input.adId) : formAds[0];
    if (input.adId && !input.organic && (!ad || !formAds.includes(ad))) {
      throw new Error(`ad ${input.adId} does not use lead form ${form.id}`);
    }
    const adset = ad ? world.adsets.get(ad.adsetId) : undefined;
    const lead: Lead = {
      id,
      formId: form.id,
      createdTime: input.createdTime ?? world.nowSeconds(),
      isOrganic: ad === undefined,
      platform: adset?.publisherPlatforms.length === 1 && adset.publisherPlatforms[0] === 'instagram' ? 'ig' : 'fb',
      fieldData: [
        { name: 'email', values: [email] },
        { name: 'full_name', values: [fullName] },
        ...(input.phone ? [{ name: 'phone_number', values: [input.phone] }] : []),
      ],
      ...(ad ? { adId: ad.id, adsetId: ad.adsetId, campaignId: ad.campaignId } : {}),
    };
    world.leads.set(lead.id, lead);
    return lead;
  });
}

/** `filtering=[{"field":"time_created","operator":"GREATER_THAN","value":<unix>}]` (§7.2). */
function timeCreatedFilter(ctx: RouteContext): (lead: Lead) => boolean {
  const filtering = ctx.json('filtering');
  if (filtering === undefined) return () => true;
  if (!Array.isArray(filtering)) throw invalidParameter('Param filtering must be an array');
  const tests = (filtering as { field?: string; operator?: string; value?: unknown }[]).map((rule) => {
    const value = Number(rule.value);
    if (rule.field !== 'time_created' || !Number.isFinite(value)) {
      throw invalidParameter(`Filtering field ${String(rule.field)} is not supported; use time_created with a Unix timestamp`);
    }
    switch (rule.operator) {
      case 'LESS_THAN':
        return (lead: Lead) => lead.createdTime < value;
      case 'GREATER_THAN':
        return (lead: Lead) => lead.createdTime > value;
      case 'GREATER_THAN_OR_EQUAL':
        return (lead: Lead) => lead.createdTime >= value;
      default:
        throw invalidParameter(`Filtering operator ${String(rule.operator)} is not supported for time_created`);
    }
  });
  return (lead) => tests.every((test) => test(lead));
}

function listLeads(ctx: RouteContext, match: (lead: Lead) => boolean) {
  ctx.requireVisible(ctx.nodeId);
  ctx.auth().requireScope('leads_retrieval');
  const keep = timeCreatedFilter(ctx);
  const leads = [...ctx.world.leads.values()]
    .filter((lead) => match(lead) && keep(lead))
    .sort((a, b) => b.createdTime - a.createdTime || b.id.localeCompare(a.id));
  return listEdge(ctx, leads, (lead) => lead.id, (lead) => leadView(ctx.world, lead), SCHEMAS.lead);
}

function readFormOrLead(ctx: RouteContext): unknown {
  ctx.auth().requireScope('leads_retrieval', 'pages_manage_ads');
  return readNode(ctx);
}

const leadgen = (handler: (ctx: RouteContext) => unknown) => ({ handler, auth: true, buc: 'leadgen' as const });

export const leadRoutes: RouteTable = {
  'GET page/leadgen_forms': leadgen((ctx) => {
    ctx.auth().requireScope('leads_retrieval', 'pages_manage_ads');
    const forms = [...ctx.world.forms.values()].filter((form) => form.pageId === ctx.nodeId).sort((a, b) => a.id.localeCompare(b.id));
    return listEdge(ctx, forms, (form) => form.id, (form) => formView(ctx.world, form), SCHEMAS.form);
  }),
  'GET form/leads': leadgen((ctx) => listLeads(ctx, (lead) => lead.formId === ctx.nodeId)),
  'GET ad/leads': leadgen((ctx) => listLeads(ctx, (lead) => lead.adId === ctx.nodeId)),
  'GET form': leadgen(readFormOrLead),
  'GET lead': leadgen(readFormOrLead),
};
