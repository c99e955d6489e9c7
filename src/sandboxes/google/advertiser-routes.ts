import express, { type Router } from 'express';
import { z } from 'zod';
import { createAd, createAdGroup, createCampaign } from './builders';
import { simulateClick } from './click';
import { controlError } from './control-routes';
import { customParametersProblem, finalUrlProblem, finalUrlSuffixProblem, trackingTemplateProblem } from './url-rules';
import { CAMPAIGN_KINDS, type Ad, type CustomParameter, type GoogleWorld } from './world';

/**
 * What an advertiser does in the Google Ads UI, as control routes under /_sandbox/: create ads,
 * rename campaigns, edit tracking at any level, remove a parameter, change landing URLs and status,
 * finish policy review, and click an ad.
 */

export function adView(world: GoogleWorld, ad: Ad) {
  const campaign = world.campaigns.get(ad.campaignId);
  return {
    id: ad.id,
    accountId: ad.customerId,
    campaignId: ad.campaignId,
    adGroupId: ad.adGroupId,
    kind: campaign?.kind ?? null,
    channelType: campaign?.channelType ?? null,
    type: ad.type,
    status: ad.status,
    finalUrls: ad.finalUrls,
    trackingUrlTemplate: ad.trackingUrlTemplate ?? null,
    reviewStatus: ad.reviewStatus,
    approvalStatus: ad.approvalStatus ?? null,
  };
}

const statusSchema = z.object({ status: z.enum(['ENABLED', 'PAUSED', 'REMOVED']) });

/** Removes `key=...` from the query part of a URL template; returns undefined when it was not there. */
export function withoutQueryParam(template: string, key: string): string | undefined {
  const q = template.indexOf('?');
  const hash = template.indexOf('#', q);
  if (q < 0) return undefined;
  const head = template.slice(0, q);
  const query = template.slice(q + 1, hash >= 0 ? hash : undefined);
  const tail = hash >= 0 ? template.slice(hash) : '';
  const parts = query.split('&');
  const kept = parts.filter((p) => p.split('=')[0] !== key);
  if (kept.length === parts.length) return undefined;
  return `${head}${kept.length > 0 ? `?${kept.join('&')}` : ''}${tail}`;
}

function withoutSuffixParam(suffix: string, key: string): string | undefined {
  const result = withoutQueryParam(`?${suffix}`, key);
  return result === undefined ? undefined : result.replace(/^\?/, '');
}

export function advertiserRouter(world: GoogleWorld): Router {
  const router = express.Router();
  const adOr404 = (id: string, res: express.Response) => {
    const ad = world.ads.get(id);
    if (!ad) controlError(res, 404, 'unknown_ad', `No ad ${id}`);
    return ad;
  };

  router.post('/ads', (req, res) => {
    const parsed = z
      .object({
        accountId: z.string(),
        kind: z.enum(CAMPAIGN_KINDS).optional(),
        campaignId: z.string().optional(),
        landingUrl: z.string().optional(),
        status: z.enum(['ENABLED', 'PAUSED']).optional(),
        approved: z.boolean().optional(),
        trackingUrlTemplate: z.string().optional(),
      })
      .safeParse(req.body ?? {});
    if (!parsed.success) return controlError(res, 400, 'invalid_request', z.prettifyError(parsed.error));
    const body = parsed.data;
    if (!world.customers.has(body.accountId)) return controlError(res, 404, 'unknown_account', `No account ${body.accountId}`);
    let campaign = body.campaignId ? world.campaigns.get(body.campaignId) : undefined;
    if (body.campaignId && (!campaign || campaign.customerId !== body.accountId)) return controlError(res, 404, 'unknown_campaign', `No campaign ${body.campaignId} in ${body.accountId}`);
    const kind = body.kind ?? campaign?.kind;
    if (!kind) return controlError(res, 400, 'invalid_request', 'Give a kind or a campaignId.');
    if (campaign && campaign.kind !== kind) return controlError(res, 400, 'invalid_request', `Campaign ${campaign.id} is a ${campaign.kind} campaign.`);
    campaign ??= createCampaign(world, { customerId: body.accountId, kind, name: `New ${kind} campaign ${world.campaigns.size + 1}` });
    const adGroup =
      world.adGroupsOf(body.accountId).find((g) => g.campaignId === campaign.id) ?? createAdGroup(world, campaign, { name: `${campaign.name} - Ad group 1` });
    const ad = createAd(world, {
      adGroup,
      kind,
      finalUrl: body.landingUrl ?? `${world.landingBaseUrl}/p/new-${world.ads.size + 1}`,
      status: body.status ?? 'ENABLED',
      // New ads go through policy review first.
      reviewStatus: body.approved ? 'REVIEWED' : 'REVIEW_IN_PROGRESS',
      ...(body.trackingUrlTemplate ? { trackingUrlTemplate: body.trackingUrlTemplate } : {}),
    });
    res.json({ ad: adView(world, ad) });
  });

  router.post('/campaigns/:id/rename', (req, res) => {
    const campaign = world.campaigns.get(req.params.id);
    const name = (req.body as { name?: unknown } | undefined)?.name;
    if (!campaign) return controlError(res, 404, 'unknown_campaign', `No campaign ${req.params.id}`);
    if (typeof name !== 'string' || name.trim() === '') return controlError(res, 400, 'invalid_request', 'name is required');
    campaign.name = name;
    world.touch(campaign);
    res.json({ campaign });
  });

  router.post('/campaigns/:id/status', (req, res) => {
    const campaign = world.campaigns.get(req.params.id);
    const parsed = statusSchema.safeParse(req.body ?? {});
    if (!campaign) return controlError(res, 404, 'unknown_campaign', `No campaign ${req.params.id}`);
    if (!parsed.success) return controlError(res, 400, 'invalid_request', 'status must be ENABLED, PAUSED or REMOVED');
    campaign.status = parsed.data.status;
    world.touch(campaign);
    res.json({ campaign });
  });

  router.post('/ads/:id/remove-param', (req, res) => {
    const ad = adOr404(req.params.id, res);
    const key = (req.body as { key?: unknown } | undefined)?.key;
    if (!ad) return;
    if (typeof key !== 'string' || key === '') return controlError(res, 400, 'invalid_request', 'key is required');
    const adGroup = world.adGroups.get(ad.adGroupId);
    const campaign = world.campaigns.get(ad.campaignId);
    const customer = world.customers.get(ad.customerId);
    const removedFrom: string[] = [];
    const levels = [
      ['ad', ad],
      ['adGroup', adGroup],
      ['campaign', campaign],
      ['customer', customer],
    ] as const;
    // The template that applies to the ad is the most specific one; the parameter is removed there.
    const holder = levels.find(([, e]) => e?.trackingUrlTemplate);
    if (holder?.[1]?.trackingUrlTemplate) {
      const next = withoutQueryParam(holder[1].trackingUrlTemplate, key);
      if (next !== undefined) {
        holder[1].trackingUrlTemplate = next === '' ? undefined : next;
        removedFrom.push(`${holder[0]}.trackingUrlTemplate`);
      }
    }
    for (const [level, entity] of levels) {
      if (entity?.finalUrlSuffix) {
        const next = withoutSuffixParam(entity.finalUrlSuffix, key);
        if (next !== undefined) {
          entity.finalUrlSuffix = next === '' ? undefined : next;
          removedFrom.push(`${level}.finalUrlSuffix`);
        }
      }
    }
    for (const [level, entity] of levels) {
      if (entity && 'urlCustomParameters' in entity) {
        const before = entity.urlCustomParameters.length;
        entity.urlCustomParameters = entity.urlCustomParameters.filter((p) => p.key !== key.replace(/^_/, ''));
        if (entity.urlCustomParameters.length !== before) removedFrom.push(`${level}.urlCustomParameters`);
      }
    }
    for (const [, entity] of levels) if (entity && 'modifiedAt' in entity && removedFrom.length > 0) world.touch(entity);
    res.json({ removedFrom });
  });

  router.post('/ads/:id/landing-url', (req, res) => {
    const ad = adOr404(req.params.id, res);
    const url = (req.body as { url?: unknown } | undefined)?.url;
    if (!ad) return;
    if (typeof url !== 'string' || finalUrlProblem(url)) return controlError(res, 400, 'invalid_request', 'url must be a valid final URL');
    ad.finalUrls = [url];
    ad.reviewStatus = 'REVIEW_IN_PROGRESS';
    world.touch(ad);
    res.json({ ad: adView(world, ad) });
  });

  router.post('/ads/:id/status', (req, res) => {
    const ad = adOr404(req.params.id, res);
    const parsed = statusSchema.safeParse(req.body ?? {});
    if (!ad) return;
    if (!parsed.success) return controlError(res, 400, 'invalid_request', 'status must be ENABLED, PAUSED or REMOVED');
    ad.status = parsed.data.status;
    world.touch(ad);
    res.json({ ad: adView(world, ad) });
  });

  for (const [action, approvalStatus] of [
    ['approve', 'APPROVED'],
    ['disapprove', 'DISAPPROVED'],
  ] as const) {
    router.post(`/ads/:id/${action}`, (req, res) => {
      const ad = adOr404(req.params.id, res);
      if (!ad) return;
      ad.reviewStatus = 'REVIEWED';
      ad.approvalStatus = approvalStatus;
      world.touch(ad);
      res.json({ ad: adView(world, ad) });
    });
  }

  router.post('/ads/:id/click', (req, res) => {
    const ad = adOr404(req.params.id, res);
    if (!ad) return;
    const body = (req.body ?? {}) as { placement?: string; device?: string; keywordId?: string };
    res.json(simulateClick(world, ad, body));
  });

  router.post('/tracking', (req, res) => {
    const parsed = z
      .object({
        level: z.enum(['customer', 'campaign', 'adGroup', 'ad', 'keyword']),
        id: z.string(),
        trackingUrlTemplate: z.string().nullable().optional(),
        finalUrlSuffix: z.string().nullable().optional(),
        urlCustomParameters: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
      })
      .safeParse(req.body ?? {});
    if (!parsed.success) return controlError(res, 400, 'invalid_request', z.prettifyError(parsed.error));
    const body = parsed.data;
    const collections = { customer: world.customers, campaign: world.campaigns, adGroup: world.adGroups, ad: world.ads, keyword: world.keywords };
    const entity = collections[body.level].get(body.id) as
      | { trackingUrlTemplate?: string; finalUrlSuffix?: string; urlCustomParameters?: CustomParameter[]; modifiedAt?: number }
      | undefined;
    if (!entity) return controlError(res, 404, 'not_found', `No ${body.level} ${body.id}`);
    const problem =
      (body.trackingUrlTemplate ? trackingTemplateProblem(body.trackingUrlTemplate, body.level) : undefined) ??
      (body.finalUrlSuffix ? finalUrlSuffixProblem(body.finalUrlSuffix) : undefined) ??
      (body.urlCustomParameters && body.level !== 'customer' ? customParametersProblem(body.urlCustomParameters) : undefined);
    if (problem) return controlError(res, 400, problem.code, problem.message);
    if (body.trackingUrlTemplate !== undefined) entity.trackingUrlTemplate = body.trackingUrlTemplate || undefined;
    if (body.finalUrlSuffix !== undefined) entity.finalUrlSuffix = body.finalUrlSuffix || undefined;
    if (body.urlCustomParameters && body.level !== 'customer') entity.urlCustomParameters = body.urlCustomParameters;
    if (entity.modifiedAt !== undefined) entity.modifiedAt = world.now();
    // Ad-level URL edits send the ad back to review (reference §3.1).
    if (body.level === 'ad') (entity as Ad).reviewStatus = 'REVIEW_IN_PROGRESS';
    res.json({ [body.level]: entity });
  });

  router.post('/customers/:id/settings', (req, res) => {
    const customer = world.customers.get(req.params.id);
    if (!customer) return controlError(res, 404, 'unknown_account', `No account ${req.params.id}`);
    const parsed = z
      .object({ autoTaggingEnabled: z.boolean(), acceptedCustomerDataTerms: z.boolean(), enhancedConversionsForLeadsEnabled: z.boolean(), descriptiveName: z.string() })
      .partial()
      .strict()
      .safeParse(req.body ?? {});
    if (!parsed.success) return controlError(res, 400, 'invalid_request', z.prettifyError(parsed.error));
    Object.assign(customer, parsed.data);
    res.json({ customer });
  });
  return router;
}
