import type { z } from 'zod';
import { baseLandingUrl } from './click';
import { creativeView } from './representations';
import type { CreativeRecord, LinkedInWorld } from './state';

/** Prefix of every control route; see controlRouter for why routes carry it in full. */
export const P = '/_sandbox';

export class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new ControlError(400, 'invalid_request', parsed.error.message);
  return parsed.data;
}

/** A creative as the control API shows it: ids, kind, destination and the API view. */
export function adView(world: LinkedInWorld, c: CreativeRecord) {
  return {
    adId: String(c.id),
    kind: c.kind,
    accountId: String(c.accountId),
    campaignId: String(c.campaignId),
    landingUrl: baseLandingUrl(world, c),
    creative: creativeView(world, c),
  };
}
