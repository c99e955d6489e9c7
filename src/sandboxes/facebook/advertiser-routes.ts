import { Router, type Response } from 'express';
import { z } from 'zod';
import { AD_STATUSES, createAd, editCreative, finishReview, removeParam, setAdStatus, splitEngagement } from './advertiser';
import { ClickError, simulateClick } from './click';
import { badRequest, describeAd, notFound, parseBody } from './control-helpers';
import type { FacebookState } from './state';
import { AD_KINDS, type Ad, type FacebookWorld } from './world';

const createAdSchema = z
  .object({
    accountId: z.string(),
    kind: z.enum(AD_KINDS),
    campaignId: z.string().optional(),
    name: z.string().min(1).optional(),
    status: z.enum(AD_STATUSES).optional(),
    landingUrl: z.url().optional(),
    urlTags: z.string().optional(),
    engagements: z.number().int().min(0).optional(),
  })
  .strict();
/** Many plain ads in one call (issue 12 P3: a 20,000-ad account in one request, not 20,000). */
const bulkAdsSchema = z
  .object({
    accountId: z.string(),
    count: z.number().int().min(1).max(20_000),
    kind: z.enum(AD_KINDS).default('link'),
    status: z.enum(AD_STATUSES).optional(),
    namePrefix: z.string().min(1).default('Ad'),
    /** Ad i lands on `<landingBaseUrl>/p/<slug of namePrefix>-<i>`. */
    landingBaseUrl: z.url().optional(),
  })
  .strict();
const engagementSchema = z.union([
  z.object({ count: z.number().int().min(0) }).strict(),
  z.object({ reactions: z.number().int().min(0), comments: z.number().int().min(0), shares: z.number().int().min(0) }).strict(),
]);
const clickSchema = z
  .object({ placement: z.enum(['facebook', 'instagram', 'messenger', 'audience_network']).optional(), card: z.number().int().min(0).optional() })
  .strict();

function adOr404(world: FacebookWorld, id: string, res: Response): Ad | undefined {
  const ad = world.ads.get(id);
  if (!ad) notFound(res, `ad ${id}`);
  return ad;
}

/** Advertiser actions (Ads Manager edits) and click simulation. */
export function advertiserControlRoutes(state: FacebookState): Router {
  const { world } = state;
  const router = Router();

  router.post('/_sandbox/ads', (req, res) => {
    const body = parseBody(createAdSchema, req, res);
    if (!body) return;
    if (!world.accounts.has(body.accountId)) return notFound(res, `ad account ${body.accountId}`);
    if (body.campaignId && world.campaigns.get(body.campaignId)?.accountId !== body.accountId) return notFound(res, `campaign ${body.campaignId} in ${body.accountId}`);
    res.json(describeAd(world, createAd(world, body)));
  });

  router.post('/_sandbox/ads/bulk', (req, res) => {
    const body = parseBody(bulkAdsSchema, req, res);
    if (!body) return;
    if (!world.accounts.has(body.accountId)) return notFound(res, `ad account ${body.accountId}`);
    const slug = body.namePrefix.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const ids = Array.from({ length: body.count }, (_, i) => {
      const landing = body.landingBaseUrl ? { landingUrl: `${body.landingBaseUrl.replace(/\/+$/, '')}/p/${slug}-${i}` } : {};
      return createAd(world, { accountId: body.accountId, kind: body.kind, name: `${body.namePrefix} ${i}`, ...(body.status ? { status: body.status } : {}), ...landing }).id;
    });
    res.json({ ids });
  });

  router.get('/_sandbox/ads/:id', (req, res) => {
    const ad = adOr404(world, req.params.id, res);
    if (ad) res.json(describeAd(world, ad));
  });

  router.post('/_sandbox/campaigns/:id/rename', (req, res) => {
    const body = parseBody(z.object({ name: z.string().min(1) }).strict(), req, res);
    if (!body) return;
    const campaign = world.campaigns.get(req.params.id);
    if (!campaign) return notFound(res, `campaign ${req.params.id}`);
    campaign.name = body.name;
    world.touch(campaign);
    res.json({ id: campaign.id, name: campaign.name });
  });

  router.post('/_sandbox/ads/:id/remove-param', (req, res) => {
    const body = parseBody(z.object({ key: z.string().min(1) }).strict(), req, res);
    const ad = body && adOr404(world, req.params.id, res);
    if (!body || !ad) return;
    const removed = removeParam(world, ad, body.key);
    res.json({ removed, ad: describeAd(world, ad) });
  });

  router.post('/_sandbox/ads/:id/landing-url', (req, res) => {
    const body = parseBody(z.object({ url: z.url() }).strict(), req, res);
    const ad = body && adOr404(world, req.params.id, res);
    if (!body || !ad) return;
    if (ad.kind === 'messenger') return badRequest(res, 'Messenger-destination ads have no landing URL');
    editCreative(world, ad, { landingUrl: body.url });
    res.json(describeAd(world, ad));
  });

  router.post('/_sandbox/ads/:id/status', (req, res) => {
    const body = parseBody(z.object({ status: z.enum(AD_STATUSES) }).strict(), req, res);
    const ad = body && adOr404(world, req.params.id, res);
    if (!body || !ad) return;
    setAdStatus(world, ad, body.status);
    res.json(describeAd(world, ad));
  });

  router.post('/_sandbox/ads/:id/approve', (req, res) => {
    const body = parseBody(z.object({ approve: z.boolean().default(true) }).strict(), req, res);
    const ad = body && adOr404(world, req.params.id, res);
    if (!body || !ad) return;
    finishReview(world, ad, body.approve);
    res.json(describeAd(world, ad));
  });

  router.post('/_sandbox/ads/:id/engagements', (req, res) => {
    const body = parseBody(engagementSchema, req, res);
    const ad = body && adOr404(world, req.params.id, res);
    if (!body || !ad) return;
    ad.engagement = 'count' in body ? splitEngagement(body.count) : body;
    res.json(describeAd(world, ad));
  });

  router.post('/_sandbox/ads/:id/click', (req, res) => {
    const body = parseBody(clickSchema, req, res);
    if (!body || !adOr404(world, req.params.id, res)) return;
    try {
      res.json(simulateClick(world, req.params.id, body));
    } catch (error) {
      if (!(error instanceof ClickError)) throw error;
      badRequest(res, error.message);
    }
  });

  return router;
}
