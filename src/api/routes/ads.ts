import { Router } from 'express';
import { z } from 'zod';
import type { AdDoc } from '../../db/models/ad';
import { NETWORKS } from '../../networks/types';
import type { ApiContext } from '../context';
import { parseInput } from '../errors';
import { addTrackingToCappedAd, adAuditTrail, findAd, listAccountAds, saveTrackingTemplate, trackingTemplate } from './ads-service';
import { trackingPreview } from './tracking-preview-service';

export const listSchema = z.object({
  trackingStatus: z.enum(['tracked', 'error', 'excluded', 'pending']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
});
export const templateSchema = z
  .object({
    utmSource: z.string().regex(/^[\w.-]{1,64}$/, 'letters, digits, dot, dash or underscore').nullable().optional(),
    utmMedium: z.string().regex(/^[\w.-]{1,64}$/, 'letters, digits, dot, dash or underscore').nullable().optional(),
  })
  .strict();

export const presentAd = (ad: AdDoc) => ({
  id: ad._id,
  accountId: ad.accountKey,
  network: ad.network,
  adId: ad.adId,
  name: ad.name,
  status: ad.status,
  networkStatus: ad.rawStatus,
  campaign: ad.campaign,
  adGroup: ad.adGroup,
  landingUrl: ad.landingUrl,
  format: ad.format,
  placements: ad.placements ?? [],
  trackingStatus: ad.trackingStatus,
  error: ad.reason,
  appliedParams: ad.appliedParams,
  engagementCapped: ad.engagementCapped,
  engagementCapOverride: ad.engagementCapOverride,
  nextRetryAt: ad.nextRetryAt,
  firstSeenAt: ad.firstSeenAt,
  lastCheckedAt: ad.lastCheckedAt,
  trackedSince: ad.trackedSince,
});

export function adRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.get('/accounts/:id/ads', async (req, res) => {
    const query = parseInput(listSchema, req.query, 'query');
    const page = await listAccountAds(ctx, req.params.id, query);
    res.json({ items: page.items.map(presentAd), nextCursor: page.nextCursor });
  });

  /** Issue 13: what switching auto-tracking on would do to each ad, planned as a sweep plans it, nothing written. */
  router.get('/accounts/:id/tracking-preview', async (req, res) => {
    res.json(await trackingPreview(ctx, req.params.id));
  });

  /** TRK-11/TRK-12: the ad, why it is in its state, and the audit trail of what the system did. */
  router.get('/ads/:id', async (req, res) => {
    const ad = await findAd(ctx, req.params.id);
    const audit = await adAuditTrail(ctx, ad);
    res.json({ ...presentAd(ad), audit: audit.map(({ _id, adKey: _a, accountKey: _b, ...entry }) => ({ id: _id, ...entry })) });
  });

  /** TRK-4 "fix alert → yes, add tracking": only for an ad held back by the engagement cap. */
  router.post('/ads/:id/add-tracking', async (req, res) => {
    await addTrackingToCappedAd(ctx, req.params.id);
    res.status(202).json({ accepted: true });
  });

  router.get('/tracking-templates/:network', async (req, res) => {
    res.json(await trackingTemplate(ctx, parseInput(z.enum(NETWORKS), req.params.network, 'path')));
  });

  /** TRK-9: new and re-applied ads use the override; running accounts of the network are told. */
  router.put('/tracking-templates/:network', async (req, res) => {
    const network = parseInput(z.enum(NETWORKS), req.params.network, 'path');
    res.json(await saveTrackingTemplate(ctx, network, parseInput(templateSchema, req.body)));
  });
  return router;
}
