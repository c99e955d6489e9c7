import type { Request, Response, Router } from 'express';
import { errors, RestliHttpError } from './errors';
import { requireAccount } from './gate';
import { idFromUrn, parseRestliValue, urn } from './restli';
import type { CampaignRecord, LinkedInWorld } from './state';
import { adTrackingParametersView, parseAdTrackingParameters } from './url-tracking';

const PREFIX = '/adTrackingParameters/';

/**
 * Dynamic UTM Tracking (docs/linkedin-tracking-parameters.md): one resource per campaign, keyed
 * `(adEntity:(sponsoredCampaign:<encoded urn>))`. GET answers 404 while nothing is set, PUT creates
 * or replaces the whole set (204), DELETE removes it (204). Message and conversation campaigns are
 * not supported by LinkedIn, so they are refused.
 */
export function mountTrackingRoutes(rest: Router, world: LinkedInWorld): void {
  rest.get(`${PREFIX}:key`, (req: Request, res: Response) => {
    const campaign = campaignOfKey(world, req, res, 'read');
    if (campaign.trackingParameters.length === 0) throw errors.notFound(`adTrackingParameters for ${urn.campaign(campaign.id)}`);
    res.json(adTrackingParametersView(urn.campaign(campaign.id), campaign.trackingParameters));
  });

  rest.put(`${PREFIX}:key`, (req: Request, res: Response) => {
    const campaign = campaignOfKey(world, req, res, 'write');
    if (campaign.type === 'SPONSORED_INMAILS') {
      throw errors.unprocessable(`Dynamic UTM tracking is not supported for message and conversation ads (${urn.campaign(campaign.id)})`);
    }
    const parsed = parseAdTrackingParameters(req.body, urn.campaign(campaign.id), req.get('linkedin-version') ?? '');
    if (!parsed.ok) throw errors.unprocessable(parsed.message);
    campaign.trackingParameters = parsed.value;
    res.status(204).end();
  });

  rest.delete(`${PREFIX}:key`, (req: Request, res: Response) => {
    const campaign = campaignOfKey(world, req, res, 'write');
    if (campaign.trackingParameters.length === 0) throw errors.notFound(`adTrackingParameters for ${urn.campaign(campaign.id)}`);
    campaign.trackingParameters = [];
    res.status(204).end();
  });
}

/** The campaign named by the raw (still encoded) path key; URNs inside must be percent-encoded. */
function campaignOfKey(world: LinkedInWorld, req: Request, res: Response, access: 'read' | 'write'): CampaignRecord {
  const raw = req.path.slice(PREFIX.length);
  const key = parseRestliValue(raw);
  const entity = typeof key === 'object' && !Array.isArray(key) ? key.adEntity : undefined;
  if (typeof entity !== 'object' || Array.isArray(entity)) throw new RestliHttpError(400, `Invalid key ${raw}: expected (adEntity:(sponsoredCampaign:<urn>))`);
  if (entity.sponsoredAccount !== undefined) {
    // Documented from 202608; this emulator models campaign-level parameters only.
    throw errors.invalid('Ad account-level tracking parameters are not modelled by this emulator');
  }
  const campaignUrn = entity.sponsoredCampaign;
  const campaignId = typeof campaignUrn === 'string' ? idFromUrn(campaignUrn, 'sponsoredCampaign') : undefined;
  if (campaignId === undefined) throw new RestliHttpError(400, `Invalid key ${raw}: adEntity must be a sponsoredCampaign URN`);
  const campaign = world.campaigns.get(campaignId);
  if (!campaign) throw errors.notFound(urn.campaign(campaignId));
  requireAccount(world, res, campaign.accountId, access);
  return campaign;
}
