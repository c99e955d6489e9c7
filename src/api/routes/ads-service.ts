import type { z } from 'zod';
import { overrideEngagementCapSignal, templateChangedSignal } from '../../../workflows/account-definitions';
import type { AdDoc } from '../../db/models/ad';
import type { AdAccountRecord } from '../../db/models/ad-account';
import type { AdAuditEntry } from '../../db/models/ad-audit';
import { withRecordLock } from '../../db/record-lock';
import { retryOnDuplicateKey } from '../../db/upserts';
import type { Network } from '../../networks/types';
import type { ApiContext } from '../context';
import { ApiError, notFound } from '../errors';
import { accountHandle, findAccount } from './accounts-service';
import type { listSchema, templateSchema } from './ads';

export interface AdPage {
  items: AdDoc[];
  nextCursor: string | null;
}

/** An account's ads in id order, one page after `cursor` (the API's list and the console's). */
export async function listAccountAds(ctx: ApiContext, accountId: string, query: z.output<typeof listSchema>): Promise<AdPage> {
  const account = await findAccount(ctx, accountId);
  const ads = await ctx.db.models.Ad.find({
    accountKey: account._id,
    ...(query.trackingStatus ? { trackingStatus: query.trackingStatus } : {}),
    ...(query.cursor ? { _id: { $gt: query.cursor } } : {}),
  })
    .sort({ _id: 1 })
    .limit(query.limit + 1)
    .lean<AdDoc[]>();
  const items = ads.slice(0, query.limit);
  return { items, nextCursor: ads.length > query.limit ? items[items.length - 1]!._id : null };
}

export async function findAd(ctx: ApiContext, id: string): Promise<AdDoc> {
  const ad = await ctx.db.models.Ad.findById(id).lean<AdDoc>();
  if (!ad) throw notFound('Ad');
  return ad;
}

/** TRK-12: the newest hundred entries of what the system did to the ad. */
export async function adAuditTrail(ctx: ApiContext, ad: AdDoc): Promise<AdAuditEntry[]> {
  return ctx.db.models.AdAudit.find({ adKey: ad._id }).sort({ at: -1 }).limit(100).lean<AdAuditEntry[]>();
}

/** TRK-4 "fix alert → yes, add tracking": only for an ad held back by the engagement cap. */
export async function addTrackingToCappedAd(ctx: ApiContext, id: string): Promise<AdDoc> {
  const ad = await findAd(ctx, id);
  if (ad.reason?.code !== 'ENGAGEMENT_CAP') {
    throw new ApiError(409, 'not_engagement_capped', 'Only an ad held back by the engagement cap can be overridden.', { trackingStatus: ad.trackingStatus, error: ad.reason });
  }
  const account = await findAccount(ctx, ad.accountKey);
  if (account.status !== 'active') throw new ApiError(409, 'account_not_active', `The account is ${account.status}.`);
  await accountHandle(ctx, account).signal(overrideEngagementCapSignal, { adId: ad.adId });
  return ad;
}

export interface TrackingTemplateView {
  network: Network;
  utmSource: string | null;
  utmMedium: string | null;
  updatedAt: Date | null;
}

export async function trackingTemplate(ctx: ApiContext, network: Network): Promise<TrackingTemplateView> {
  const doc = await ctx.db.models.TrackingTemplate.findById(network).lean();
  return { network, utmSource: doc?.utmSource ?? null, utmMedium: doc?.utmMedium ?? null, updatedAt: doc?.updatedAt ?? null };
}

/** TRK-9: new and re-applied ads use the override; running accounts of the network are told. */
export async function saveTrackingTemplate(ctx: ApiContext, network: Network, input: z.output<typeof templateSchema>): Promise<TrackingTemplateView> {
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
  return { network, utmSource: doc?.utmSource ?? null, utmMedium: doc?.utmMedium ?? null, updatedAt: doc?.updatedAt ?? null };
}
