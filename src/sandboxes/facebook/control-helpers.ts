import type { Request, Response } from 'express';
import type { z } from 'zod';
import { totalEngagement } from './advertiser';
import { destinationFor } from './creative-specs';
import { isoTime, type Ad, type FacebookWorld } from './world';

/** Parses a control-route body; answers 400 and returns undefined when it does not fit. */
export function parseBody<T extends z.ZodType>(schema: T, req: Request, res: Response): z.infer<T> | undefined {
  const parsed = schema.safeParse(req.body ?? {});
  if (parsed.success) return parsed.data;
  res.status(400).json({ error: { code: 'invalid_request', message: parsed.error.message } });
  return undefined;
}

export function notFound(res: Response, what: string): void {
  res.status(404).json({ error: { code: 'not_found', message: `unknown ${what}` } });
}

export function badRequest(res: Response, message: string): void {
  res.status(400).json({ error: { code: 'invalid_request', message } });
}

/** The sandbox's own view of an ad, richer than Graph's, for tests and the demo. */
export function describeAd(world: FacebookWorld, ad: Ad) {
  const creative = world.creatives.get(ad.creativeId);
  return {
    id: ad.id,
    accountId: ad.accountId,
    campaignId: ad.campaignId,
    adsetId: ad.adsetId,
    name: ad.name,
    kind: ad.kind,
    status: ad.status,
    effectiveStatus: world.adEffectiveStatus(ad),
    creativeId: ad.creativeId,
    urlTags: creative?.urlTags ?? '',
    landingUrl: creative ? destinationFor(creative, world.adsets.get(ad.adsetId)?.publisherPlatforms[0] ?? 'facebook') : null,
    engagements: totalEngagement(ad.engagement),
    publishSnapshot: ad.publishSnapshot ?? null,
    updatedTime: isoTime(ad.updatedTime),
  };
}
