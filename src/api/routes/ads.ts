import { Router } from 'express';
import { z } from 'zod';
import { overrideEngagementCapSignal, templateChangedSignal } from '../../../workflows/account-definitions';
import type { AdDoc } from '../../db/models/ad';
import type { AdAccountRecord } from '../../db/models/ad-account';
import { NETWORKS } from '../../networks/types';
import type { ApiContext } from '../context';
import { ApiError, notFound, parseInput } from '../errors';
import { retryOnDuplicateKey } from '../../db/upserts';
import { withRecordLock } from '../../db/record-lock';
import { accountHandle, findAccount } from './accounts-service';

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

const presentAd = (ad: AdDoc) => ({
  id: ad._id,
  accountId: ad.accountKey,
  network: ad.network,
  adId: ad.adId,
  name: ad.name,
  status: ad.status,
  campaign: ad.campaign,
  adGroup: ad.adGroup,
  landingUrl: ad.landingUrl,
  format: ad.format,
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
    const account = await findAccount(ctx, req.params.id);
    const query = parseInput(listSchema, req.query, 'query');
    const ads = await ctx.db.models.Ad.find({
      accountKey: account._id,
      ...(query.trackingStatus ? { trackingStatus: query.trackingStatus } : {}),
      ...(query.cursor ? { _id: { $gt: query.cursor } } : {}),
    })
      .sort({ _id: 1 })
      .limit(query.limit + 1)
      .lean<AdDoc[]>();
    const page = ads.slice(0, query.limit);
    res.json({ items: page.map(presentAd), nextCursor: ads.length > query.limit ? page[page.length - 1]!._id : null });
  });

  /** TRK-11/TRK-12: the ad, why it is in its state, and the audit trail of what the system did. */
  router.get('/ads/:id', async (req, res) => {
    const ad = await ctx.db.models.Ad.findById(req.params.id).lean<AdDoc>();
    if (!ad) throw notFound('Ad');
    const audit = await ctx.db.models.AdAudit.find({ adKey: ad._id }).sort({ at: -1 }).limit(100).lean();
    res.json({ ...presentAd(ad), audit: audit.map(({ _id, adKey: _a, accountKey: _b, ...entry }) => ({ id: _id, ...entry })) });
  });

  /** TRK-4 "fix alert → yes, add tracking": only for an ad held back by the engagement cap. */
  router.post('/ads/:id/add-tracking', async (req, res) => {
    const ad = await ctx.db.models.Ad.findById(req.params.id).lean<AdDoc>();
    if (!ad) throw notFound('Ad');
    if (ad.reason?.code !== 'ENGAGEMENT_CAP') {
      throw new ApiError(409, 'not_engagement_capped', 'Only an ad held back by the engagement cap can be overridden.', { trackingStatus: ad.trackingStatus, error: ad.reason });
    }
    const account = await findAccount(ctx, ad.accountKey);
    if (account.status !== 'active') throw new ApiError(409, 'account_not_active', `The account is ${account.status}.`);
    await accountHandle(ctx, account).signal(overrideEngagementCapSignal, { adId: ad.adId });
    res.status(202).json({ accepted: true });
  });

  router.get('/tracking-templates/:network', async (req, res) => {
    const network = parseInput(z.enum(NETWORKS), req.params.network, 'path');
    const doc = await ctx.db.models.TrackingTemplate.findById(network).lean();
    res.json({ network, utmSource: doc?.utmSource ?? null, utmMedium: doc?.utmMedium ?? null, updatedAt: doc?.updatedAt ?? null });
  });

  /** TRK-9: new and re-applied ads use the override; running accounts of the network are told. */
  router.put('/tracking-templates/:network', async (req, res) => {
    const network = parseInput(z.enum(NETWORKS), req.params.network, 'path');
    const input = parseInput(templateSchema, req.body);
    // Two admins changing different fields at once both keep theirs (FerretDB would drop one $set).
    const doc = await withRecordLock(
      ctx.db.models,
      `tracking_template:${network}`,
      () =>
        retryOnDuplicateKey(() =>
          ctx.db.models.TrackingTemplate.findOneAndUpdate(
            { _id: network },
            { $set: { ...('utmSource' in input ? { utmSource: input.utmSource ?? null } : {}), ...('utmMedium' in input ? { utmMedium: input.utmMedium ?? null } : {}), updatedAt: new Date() } },
            { upsert: true, new: true, lean: true },
          ),
        ),
      () => new ApiError(503, 'template_busy', 'The template is being changed by another request; retry shortly.'),
    );
    const accounts = await ctx.db.models.AdAccount.find({ network, status: 'active' }).lean<AdAccountRecord[]>();
    await Promise.allSettled(accounts.map((account) => accountHandle(ctx, account).signal(templateChangedSignal)));
    res.json({ network, utmSource: doc?.utmSource ?? null, utmMedium: doc?.utmMedium ?? null, updatedAt: doc?.updatedAt ?? null });
  });
  return router;
}
