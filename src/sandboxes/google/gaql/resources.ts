import { formatDate } from '../time';
import type { Ad, Customer, GoogleWorld } from '../world';
import type { ChangeRow, RowCtx } from './schema';

/** The resources a FROM clause can name: which other resources they join, and their base rows. */
export interface ResourceDef {
  /** Resources whose fields may be selected/filtered with this one (incl. itself). */
  attributed: string[];
  /** Whether metrics.* and segments.date may be used. */
  metrics: boolean;
  rows(world: GoogleWorld, customer: Customer): RowCtx[];
  /** Ads whose daily metrics add up to a row's metrics. */
  metricAds?(ctx: RowCtx): Ad[];
}

function adRow(world: GoogleWorld, customer: Customer, ad: Ad): RowCtx {
  const adGroup = world.adGroups.get(ad.adGroupId);
  const campaign = world.campaigns.get(ad.campaignId);
  return { world, customer, ad, ...(adGroup ? { adGroup } : {}), ...(campaign ? { campaign } : {}) };
}

/**
 * change_status rows: one per changed entity with its latest change (reference: cheap change
 * detection). unconfirmed: the reference does not document change_status; its shape and filter rules
 * follow Google's ChangeStatusError enum (finite date range on last_change_date_time, LIMIT ≤ 10,000).
 */
function changeRows(world: GoogleWorld, customer: Customer): ChangeRow[] {
  const status = (e: { createdAt: number; modifiedAt: number; status?: string }): ChangeRow['resourceStatus'] =>
    e.status === 'REMOVED' ? 'REMOVED' : e.createdAt === e.modifiedAt ? 'ADDED' : 'CHANGED';
  const rows: ChangeRow[] = [];
  for (const campaign of world.campaignsOf(customer.id)) {
    rows.push({ id: `c${campaign.id}`, resourceType: 'CAMPAIGN', resourceStatus: status(campaign), at: campaign.modifiedAt, campaign });
  }
  for (const adGroup of world.adGroupsOf(customer.id)) {
    const campaign = world.campaigns.get(adGroup.campaignId);
    rows.push({
      id: `g${adGroup.id}`,
      resourceType: 'AD_GROUP',
      resourceStatus: status(adGroup),
      at: adGroup.modifiedAt,
      adGroup,
      ...(campaign ? { campaign } : {}),
    });
  }
  for (const ad of world.adsOf(customer.id)) {
    const adGroup = world.adGroups.get(ad.adGroupId);
    const campaign = world.campaigns.get(ad.campaignId);
    rows.push({
      id: `a${ad.id}`,
      resourceType: 'AD_GROUP_AD',
      resourceStatus: status(ad),
      at: ad.modifiedAt,
      ad,
      ...(adGroup ? { adGroup } : {}),
      ...(campaign ? { campaign } : {}),
    });
  }
  for (const keyword of world.keywords.values()) {
    if (keyword.customerId !== customer.id) continue;
    rows.push({ id: `k${keyword.id}`, resourceType: 'AD_GROUP_CRITERION', resourceStatus: status(keyword), at: keyword.modifiedAt, keyword });
  }
  for (const asset of world.leadForms.values()) {
    if (asset.customerId !== customer.id) continue;
    rows.push({ id: `s${asset.id}`, resourceType: 'ASSET', resourceStatus: status(asset), at: asset.modifiedAt, asset });
  }
  return rows.sort((a, b) => a.at - b.at);
}

export const RESOURCES: Record<string, ResourceDef> = {
  customer: {
    attributed: ['customer'],
    metrics: true,
    rows: (world, customer) => [{ world, customer }],
    metricAds: (ctx) => ctx.world.adsOf(ctx.customer.id),
  },
  customer_client: {
    attributed: ['customer_client', 'customer'],
    metrics: false,
    rows: (world, customer) => world.clientTree(customer.id).map((client) => ({ world, customer, client })),
  },
  campaign: {
    attributed: ['campaign', 'customer'],
    metrics: true,
    rows: (world, customer) => world.campaignsOf(customer.id).map((campaign) => ({ world, customer, campaign })),
    metricAds: (ctx) => ctx.world.adsOf(ctx.customer.id).filter((a) => a.campaignId === ctx.campaign?.id),
  },
  ad_group: {
    attributed: ['ad_group', 'campaign', 'customer'],
    metrics: true,
    rows: (world, customer) =>
      world.adGroupsOf(customer.id).map((adGroup) => {
        const campaign = world.campaigns.get(adGroup.campaignId);
        return { world, customer, adGroup, ...(campaign ? { campaign } : {}) };
      }),
    metricAds: (ctx) => ctx.world.adsOf(ctx.customer.id).filter((a) => a.adGroupId === ctx.adGroup?.id),
  },
  ad_group_ad: {
    attributed: ['ad_group_ad', 'ad_group', 'campaign', 'customer'],
    metrics: true,
    rows: (world, customer) => world.adsOf(customer.id).map((ad) => adRow(world, customer, ad)),
    metricAds: (ctx) => (ctx.ad ? [ctx.ad] : []),
  },
  ad_group_criterion: {
    attributed: ['ad_group_criterion', 'ad_group', 'campaign', 'customer'],
    metrics: false,
    rows: (world, customer) =>
      [...world.keywords.values()]
        .filter((k) => k.customerId === customer.id)
        .map((keyword) => {
          const adGroup = world.adGroups.get(keyword.adGroupId);
          const campaign = world.campaigns.get(keyword.campaignId);
          return { world, customer, keyword, ...(adGroup ? { adGroup } : {}), ...(campaign ? { campaign } : {}) };
        }),
  },
  conversion_action: {
    attributed: ['conversion_action', 'customer'],
    metrics: false,
    rows: (world, customer) =>
      [...world.conversionActions.values()].filter((a) => a.customerId === customer.id).map((conversionAction) => ({ world, customer, conversionAction })),
  },
  asset: {
    attributed: ['asset', 'customer'],
    metrics: false,
    rows: (world, customer) => [...world.leadForms.values()].filter((f) => f.customerId === customer.id).map((asset) => ({ world, customer, asset })),
  },
  lead_form_submission_data: {
    attributed: ['lead_form_submission_data', 'ad_group_ad', 'ad_group', 'campaign', 'asset', 'customer'],
    metrics: false,
    rows: (world, customer) =>
      world.submissions
        .filter((s) => s.customerId === customer.id)
        .map((submission) => {
          const ad = submission.adId ? world.ads.get(submission.adId) : undefined;
          const adGroup = submission.adGroupId ? world.adGroups.get(submission.adGroupId) : undefined;
          const campaign = submission.campaignId ? world.campaigns.get(submission.campaignId) : undefined;
          const asset = world.leadForms.get(submission.assetId);
          return {
            world,
            customer,
            submission,
            ...(ad ? { ad } : {}),
            ...(adGroup ? { adGroup } : {}),
            ...(campaign ? { campaign } : {}),
            ...(asset ? { asset } : {}),
          };
        }),
  },
  click_view: {
    attributed: ['click_view', 'ad_group', 'campaign', 'customer'],
    metrics: false,
    rows: (world, customer) =>
      [...world.clicks.values()]
        .filter((c) => c.customerId === customer.id)
        .map((click) => {
          const adGroup = world.adGroups.get(click.adGroupId);
          const campaign = world.campaigns.get(click.campaignId);
          // A click_view row is segmented by the click's own date.
          const date = formatDate(click.at, customer.timeZone);
          return { world, customer, click, date, ...(adGroup ? { adGroup } : {}), ...(campaign ? { campaign } : {}) };
        }),
  },
  change_status: {
    attributed: ['change_status'],
    metrics: false,
    rows: (world, customer) => changeRows(world, customer).map((change) => ({ world, customer, change })),
  },
};

RESOURCES.keyword_view = { ...(RESOURCES.ad_group_criterion as ResourceDef), attributed: ['keyword_view', 'ad_group_criterion', 'ad_group', 'campaign', 'customer'] };
