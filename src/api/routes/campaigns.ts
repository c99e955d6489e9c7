import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { pageAssetOf, toAssociation, toCampaign } from '../../contacts/attribution';
import { isDuplicateKeyError } from '../../db/errors';
import {
  adCampaignAsset,
  assetKey,
  associateAsset,
  CAMPAIGN_ASSET_KINDS,
  campaignContactMetrics,
  dissociateAsset,
  pageViewMatchesTrackingUrl,
  visibleCampaignAssets,
  type AssetRef,
  type Campaign,
  type CampaignAssociation,
} from '../../domain/attribution';
import type { CampaignAssociationDoc, CampaignDoc } from '../../db/models/campaign';
import type { ContactDoc } from '../../db/models/contact';
import { NETWORKS } from '../../networks/types';
import type { ApiContext } from '../context';
import { ApiError, notFound, parseInput } from '../errors';

export const createSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    utmCampaign: z.string().trim().min(1).max(200).optional(),
    startAt: z.iso.datetime().optional(),
    endAt: z.iso.datetime().optional(),
  })
  .strict();

export const assetSchema = z
  .object({
    kind: z.enum(CAMPAIGN_ASSET_KINDS),
    /** Ad campaigns: the network's campaign id (LinkedIn: the campaign group); tracking URLs and pages: the URL; forms: the form id. */
    id: z.string().trim().min(1).max(2048),
    network: z.enum(NETWORKS).optional(),
  })
  .strict()
  .refine((asset) => asset.kind !== 'ad_campaign' || asset.network !== undefined, { message: 'an ad campaign needs its network', path: ['network'] });

const iso = (date: Date | string) => new Date(date).toISOString();


/** Asset refs are normalised the way touches are resolved (ad campaigns by plain id, pages by origin + path). */
function normaliseAsset(input: z.infer<typeof assetSchema>): AssetRef {
  if (input.kind === 'ad_campaign') return adCampaignAsset(input.network!, input.id);
  if (input.kind === 'landing_page' || input.kind === 'web_page') {
    const page = pageAssetOf(input.id);
    if (!page) throw new ApiError(400, 'validation_failed', 'A page asset needs an absolute URL.', { issues: [{ path: 'body.id', message: 'expected a URL' }] });
    return { kind: input.kind === 'web_page' ? 'landing_page' : input.kind, id: page.id };
  }
  return { kind: input.kind, id: input.id };
}

const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** CMP-1/CMP-2, ATT-4/ATT-5: campaigns, their assets (one campaign per asset) and contact metrics. */
export function campaignRoutes(ctx: ApiContext): Router {
  const router = Router();
  const { models } = ctx.db;

  const load = async (id: string) => {
    const campaign = await models.Campaign.findById(id).lean<CampaignDoc>();
    if (!campaign) throw notFound('Campaign');
    return campaign;
  };
  const history = async (): Promise<CampaignAssociation[]> => (await models.CampaignAssociation.find().lean<CampaignAssociationDoc[]>()).map(toAssociation);

  /** ATT-5: tracking URLs and paid-search campaigns show up only once visited after joining. */
  async function visitsOf(campaign: Campaign, associations: CampaignAssociation[]): Promise<Record<string, string[]>> {
    const visits: Record<string, string[]> = {};
    for (const association of associations.filter((a) => a.campaignId === campaign.id && a.until === undefined)) {
      const since = new Date(Math.max(Date.parse(campaign.createdAt), Date.parse(association.from)));
      const key = assetKey(association.asset);
      if (association.asset.kind === 'ad_campaign') {
        const session = await models.WebSession.findOne({ adCampaignAssetKey: key, startedAt: { $gte: since } }, { startedAt: 1 }).lean<{ startedAt: Date }>();
        if (session) visits[key] = [iso(session.startedAt)];
      } else if (association.asset.kind === 'tracking_url') {
        const page = pageAssetOf(association.asset.id);
        if (!page) continue;
        const views = await models.PageView.find({ url: { $regex: `^${escapeRegex(page.id)}` }, at: { $gte: since } }, { url: 1, at: 1 }).limit(500).lean<{ url: string; at: Date }[]>();
        const hit = views.find((view) => pageViewMatchesTrackingUrl(association.asset.id, view.url));
        if (hit) visits[key] = [iso(hit.at)];
      }
    }
    return visits;
  }

  const present = (campaign: CampaignDoc) => ({
    id: campaign._id,
    name: campaign.name,
    utmCampaign: campaign.utmCampaign,
    startAt: campaign.startAt,
    endAt: campaign.endAt,
    createdAt: campaign.createdAt,
  });

  router.post('/campaigns', async (req, res) => {
    const input = parseInput(createSchema, req.body);
    const campaign = await models.Campaign.create({
      _id: randomUUID(),
      name: input.name,
      utmCampaign: input.utmCampaign ?? null,
      startAt: input.startAt ? new Date(input.startAt) : null,
      endAt: input.endAt ? new Date(input.endAt) : null,
    });
    res.status(201).json(present(campaign.toObject()));
  });

  router.get('/campaigns', async (_req, res) => {
    const campaigns = await models.Campaign.find().sort({ createdAt: 1 }).limit(1000).lean<CampaignDoc[]>();
    res.json({ items: campaigns.map(present) });
  });

  router.get('/campaigns/:id', async (req, res) => {
    const doc = await load(req.params.id);
    const campaign = toCampaign(doc);
    const associations = await history();
    const assets = visibleCampaignAssets(campaign, associations, await visitsOf(campaign, associations));
    const contacts = await models.Contact.find(
      { $or: [{ 'firstTouch.campaignId': campaign.id }, { 'lastTouch.campaignId': campaign.id }, { 'influencedCampaigns.campaignId': campaign.id }] },
      { firstTouch: 1, lastTouch: 1, influencedCampaigns: 1 },
    )
      .limit(50_000)
      .lean<Pick<ContactDoc, '_id' | 'firstTouch' | 'lastTouch' | 'influencedCampaigns'>[]>();
    const credit = (touch: ContactDoc['firstTouch']) =>
      touch === null || touch === undefined
        ? null
        : { at: iso(touch.at), ...(touch.utmCampaign ? { utmCampaign: touch.utmCampaign } : {}), ...(touch.campaignId ? { campaignId: touch.campaignId } : {}) };
    const metrics = campaignContactMetrics(
      campaign,
      contacts.map((c) => ({
        contactId: c._id,
        summary: { firstTouch: credit(c.firstTouch), lastTouch: credit(c.lastTouch), influenced: (c.influencedCampaigns ?? []).map((t) => ({ campaignId: t.campaignId, at: iso(t.at) })) },
      })),
    );
    res.json({
      ...present(doc),
      assets,
      hiddenUntilVisited: associations
        .filter((a) => a.campaignId === campaign.id && a.until === undefined && !assets.some((asset) => assetKey(asset) === assetKey(a.asset)))
        .map((a) => a.asset),
      metrics: { firstTouchContacts: metrics.firstTouch.length, lastTouchContacts: metrics.lastTouch.length, influencedContacts: metrics.influenced.length },
      note: 'Counts start when an asset joins the campaign (ATT-5): touches from before the association, or while the asset belonged to another campaign, are not counted.',
    });
  });

  /** CMP-1/ATT-5: associate an asset; it leaves its previous campaign, which keeps what it counted. */
  router.post('/campaigns/:id/assets', async (req, res) => {
    const campaign = await load(req.params.id);
    const asset = normaliseAsset(parseInput(assetSchema, req.body));
    const key = assetKey(asset);
    const current = await models.CampaignAssociation.find({ assetKey: key }).lean<CampaignAssociationDoc[]>();
    const now = new Date();
    const change = associateAsset(current.map(toAssociation), asset, campaign._id, now.toISOString());
    if (change.changed) {
      await models.CampaignAssociation.updateMany({ assetKey: key, until: null }, { $set: { until: now } });
      try {
        await models.CampaignAssociation.create({ _id: `${key}@${now.getTime()}`, campaignId: campaign._id, assetKey: key, asset, from: now, until: null });
      } catch (error) {
        // The same association made by a concurrent request in the same millisecond (issue 15 #13 found the 500).
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    res.status(change.changed ? 201 : 200).json({ asset, campaignId: campaign._id, movedFrom: change.movedFrom ?? null, changed: change.changed });
  });

  router.delete('/campaigns/:id/assets', async (req, res) => {
    const campaign = await load(req.params.id);
    const asset = normaliseAsset(parseInput(assetSchema, req.body));
    const key = assetKey(asset);
    const current = (await models.CampaignAssociation.find({ assetKey: key }).lean<CampaignAssociationDoc[]>()).map(toAssociation);
    if (current.find((a) => a.until === undefined)?.campaignId !== campaign._id) throw new ApiError(404, 'not_associated', 'The asset does not belong to this campaign.');
    const change = dissociateAsset(current, asset, new Date().toISOString());
    if (change.changed) await models.CampaignAssociation.updateMany({ assetKey: key, until: null }, { $set: { until: new Date() } });
    res.json({ asset, removed: change.changed });
  });

  return router;
}
