import type { Request, Router } from 'express';
import { z } from 'zod';
import { baseLandingUrl, setBaseLandingUrl, simulateClick } from './click';
import { adView, ControlError, P, parse } from './control-support';
import { AD_STATES, applyState, campaignForKind, createAd, createCampaign, KIND_SPECS, type AdState } from './factory';
import { campaignView } from './representations';
import { AD_KINDS, type CampaignRecord, type CreativeIntendedStatus, type CreativeRecord, type LinkedInWorld } from './state';
import { trackingParameter, withoutParameter } from './url-tracking';

const INTENDED: CreativeIntendedStatus[] = ['ACTIVE', 'PAUSED', 'DRAFT', 'ARCHIVED', 'CANCELED', 'PENDING_DELETION', 'REMOVED'];

/** What an advertiser does in Campaign Manager, and a member's click on an ad. */
export function mountAdvertiserControls(router: Router, world: LinkedInWorld): void {
  const creativeOf = (req: Request): CreativeRecord => {
    const creative = world.creativeByKey(String(req.params.id));
    if (!creative) throw new ControlError(404, 'not_found', `No creative ${String(req.params.id)}`);
    return creative;
  };
  const campaignOf = (req: Request): CampaignRecord => {
    const campaign = world.campaigns.get(Number(String(req.params.id).replace(/^urn:li:sponsoredCampaign:/, '')));
    if (!campaign) throw new ControlError(404, 'not_found', `No campaign ${String(req.params.id)}`);
    return campaign;
  };

  router.post(`${P}/ads`, (req, res) => {
    const input = parse(
      z.object({
        accountId: z.union([z.string(), z.number()]),
        campaignId: z.union([z.string(), z.number()]).optional(),
        kind: z.enum(AD_KINDS),
        landingUrl: z.string().nullable().optional(),
        status: z.enum(AD_STATES).default('under_review'),
        name: z.string().optional(),
        leadFormId: z.union([z.string(), z.number()]).optional(),
      }),
      req.body,
    );
    const account = world.accounts.get(Number(input.accountId));
    if (!account) throw new ControlError(404, 'not_found', `No ad account ${input.accountId}`);
    let campaign = input.campaignId !== undefined ? world.campaigns.get(Number(input.campaignId)) : campaignForKind(world, account, input.kind, 100);
    if (input.campaignId !== undefined && (!campaign || campaign.accountId !== account.id)) throw new ControlError(404, 'not_found', `No campaign ${input.campaignId} in ${account.id}`);
    if (campaign && campaign.format !== KIND_SPECS[input.kind].format) throw new ControlError(400, 'invalid_request', `A ${input.kind} ad cannot go into a ${campaign.format} campaign`);
    const group = [...world.groups.values()].find((g) => g.accountId === account.id);
    if (!group) throw new ControlError(409, 'conflict', 'The account has no campaign group');
    campaign ??= createCampaign(world, { account, group, kind: input.kind, name: `${KIND_SPECS[input.kind].label} campaign`, ageDays: 0 });
    const leadFormId = input.leadFormId !== undefined ? Number(input.leadFormId) : input.kind === 'lead_gen' ? [...world.leadForms.values()].find((f) => f.accountId === account.id && 'sponsoredAccount' in f.owner)?.id : undefined;
    const ad = createAd(world, {
      account,
      campaign,
      kind: input.kind,
      state: input.status,
      landingUrl: input.landingUrl ?? (input.kind === 'lead_gen' ? null : `${world.landingBaseUrl}/p/new-${input.kind.replace('_', '-')}-${world.creatives.size + 1}`),
      member: [...world.members.values()][0]?.urn ?? 'urn:li:person:advertiser',
      ageDays: 0,
      ...(input.name ? { name: input.name } : {}),
      ...(leadFormId !== undefined ? { leadFormId } : {}),
    });
    ad.createdAt = world.now();
    ad.lastModifiedAt = world.now();
    res.status(201).json(adView(world, ad));
  });

  router.post(`${P}/campaigns/:id/rename`, (req, res) => {
    const campaign = campaignOf(req);
    campaign.name = parse(z.object({ name: z.string().min(1) }), req.body).name;
    campaign.lastModifiedAt = world.now();
    campaign.version += 1;
    res.json(campaignView(campaign, world.accounts.get(campaign.accountId)?.currency ?? 'USD'));
  });

  router.post(`${P}/campaigns/:id/status`, (req, res) => {
    const campaign = campaignOf(req);
    campaign.status = parse(z.object({ status: z.enum(['ACTIVE', 'PAUSED', 'ARCHIVED', 'COMPLETED', 'CANCELED', 'DRAFT']) }), req.body).status;
    campaign.lastModifiedAt = world.now();
    campaign.version += 1;
    res.json(campaignView(campaign, world.accounts.get(campaign.accountId)?.currency ?? 'USD'));
  });

  // The advertiser edits the campaign's URL parameters in Campaign Manager (`value` = token name → dynamic).
  router.put(`${P}/campaigns/:id/url-parameters`, (req, res) => {
    const campaign = campaignOf(req);
    const input = parse(z.object({ parameters: z.array(z.object({ key: z.string().min(1), value: z.string().min(1) })) }), req.body);
    campaign.trackingParameters = input.parameters.map((p) => trackingParameter(p.key, p.value));
    campaign.lastModifiedAt = world.now();
    campaign.version += 1;
    res.json(campaignView(campaign, world.accounts.get(campaign.accountId)?.currency ?? 'USD'));
  });

  router.post(`${P}/ads/:id/remove-param`, (req, res) => {
    const creative = creativeOf(req);
    const { key } = parse(z.object({ key: z.string().min(1) }), req.body);
    const campaign = world.campaigns.get(creative.campaignId);
    let removedFrom: 'campaign' | 'landingUrl' | null = null;
    if (campaign?.trackingParameters.some((p) => p.key === key)) {
      // On LinkedIn the ad's tracking lives on its campaign: removing it there affects every sibling.
      campaign.trackingParameters = withoutParameter(campaign.trackingParameters, key);
      campaign.lastModifiedAt = world.now();
      campaign.version += 1;
      removedFrom = 'campaign';
    } else {
      const url = baseLandingUrl(world, creative);
      if (url) {
        const stripped = removeQueryParam(url, key);
        if (stripped !== url) {
          setBaseLandingUrl(world, creative, stripped);
          removedFrom = 'landingUrl';
        }
      }
    }
    res.json({ removedFrom, ad: adView(world, creative) });
  });

  router.post(`${P}/ads/:id/landing-url`, (req, res) => {
    const creative = creativeOf(req);
    setBaseLandingUrl(world, creative, parse(z.object({ url: z.string().min(1) }), req.body).url);
    res.json(adView(world, creative));
  });

  router.post(`${P}/ads/:id/status`, (req, res) => {
    const creative = creativeOf(req);
    const { status } = parse(z.object({ status: z.string().min(1) }), req.body);
    if ((AD_STATES as readonly string[]).includes(status)) applyState(world, creative, status as AdState);
    else if (INTENDED.includes(status.toUpperCase() as CreativeIntendedStatus)) {
      const wasDraft = creative.review === null;
      creative.intendedStatus = status.toUpperCase() as CreativeIntendedStatus;
      if (creative.intendedStatus === 'ACTIVE' && wasDraft) world.startReview(creative);
    } else throw new ControlError(400, 'invalid_request', `status must be one of ${[...AD_STATES, ...INTENDED].join(', ')}`);
    creative.lastModifiedAt = world.now();
    res.json(adView(world, creative));
  });

  router.post(`${P}/ads/:id/approve`, (req, res) => {
    const creative = creativeOf(req);
    creative.review = { status: 'APPROVED' };
    creative.lastModifiedAt = world.now();
    res.json(adView(world, creative));
  });

  router.post(`${P}/ads/:id/reject`, (req, res) => {
    const creative = creativeOf(req);
    creative.review = { status: 'REJECTED', rejectionReasons: ['LANDING_PAGE_NOT_WORKING'] };
    creative.lastModifiedAt = world.now();
    res.json(adView(world, creative));
  });

  router.post(`${P}/ads/:id/click`, (req, res) => {
    const click = simulateClick(world, creativeOf(req));
    if (!click) throw new ControlError(409, 'no_landing_url', 'This ad has no landing URL (e.g. a lead gen ad that only opens its form)');
    res.json(click);
  });
}

function removeQueryParam(url: string, key: string): string {
  const hashAt = url.indexOf('#');
  const fragment = hashAt >= 0 ? url.slice(hashAt) : '';
  const head = hashAt >= 0 ? url.slice(0, hashAt) : url;
  const queryAt = head.indexOf('?');
  if (queryAt < 0) return url;
  const path = head.slice(0, queryAt);
  const query = head.slice(queryAt + 1);
  const kept = query.split('&').filter((pair) => decodeURIComponent(pair.split('=')[0] ?? '') !== key);
  return `${path}${kept.length ? `?${kept.join('&')}` : ''}${fragment}`;
}
