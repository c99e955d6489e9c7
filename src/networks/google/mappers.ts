import type { AdAccountInfo, AdDayMetrics, AdRecord, CustomParameter, DeliveryStatus, GoogleAdTracking, LeadForm, NetworkLead } from '../types';
import { parseAccountDateTime } from './time';

/** GoogleAdsRow shapes the client reads (camelCase JSON; int64 as strings; unset fields omitted) and their mapping. */

interface CustomParameterJson {
  key?: string;
  value?: string;
}

export interface AdRow {
  customer?: { id?: string; trackingUrlTemplate?: string };
  campaign?: {
    id?: string;
    name?: string;
    status?: string;
    advertisingChannelType?: string;
    trackingUrlTemplate?: string;
    finalUrlSuffix?: string;
    urlCustomParameters?: CustomParameterJson[];
  };
  adGroup?: { id?: string; name?: string; status?: string; trackingUrlTemplate?: string };
  adGroupAd?: {
    status?: string;
    ad?: { id?: string; name?: string; type?: string; finalUrls?: string[]; trackingUrlTemplate?: string };
    policySummary?: { approvalStatus?: string; reviewStatus?: string };
  };
}

export interface CustomerRow {
  customer?: { id?: string; descriptiveName?: string; currencyCode?: string; timeZone?: string; manager?: boolean; status?: string };
}

export interface CustomerClientRow {
  customerClient?: { id?: string; descriptiveName?: string; currencyCode?: string; timeZone?: string; manager?: boolean; status?: string; level?: string };
}

export interface MetricsRow {
  adGroupAd?: { ad?: { id?: string } };
  segments?: { date?: string };
  metrics?: { impressions?: string; clicks?: string; costMicros?: string; conversions?: number };
}

export interface ChangeStatusRow {
  changeStatus?: { resourceType?: string; lastChangeDateTime?: string; campaign?: string; adGroup?: string; adGroupAd?: string };
}

export interface AssetRow {
  asset?: { id?: string; name?: string; type?: string; leadFormAsset?: { headline?: string }; policySummary?: { approvalStatus?: string } };
}

export interface LeadRow {
  leadFormSubmissionData?: {
    id?: string;
    asset?: string;
    campaign?: string;
    adGroup?: string;
    adGroupAd?: string;
    gclid?: string;
    submissionDateTime?: string;
    leadFormSubmissionFields?: { fieldType?: string; fieldValue?: string }[];
    customLeadFormSubmissionFields?: { questionText?: string; fieldValue?: string }[];
  };
}

/** Last path segment of a resource name ("customers/1/adGroupAds/222~333" → "333"). */
export function idFromResourceName(resourceName: string | undefined): string | undefined {
  const last = resourceName?.split('/').pop();
  return last?.split('~').pop() || undefined;
}

const APPROVED = new Set(['APPROVED', 'APPROVED_LIMITED', 'AREA_OF_INTEREST_ONLY']);

/** Serving state from the three statuses and the policy summary (reference §2.4 "active or pending review"). */
export function deliveryStatus(row: AdRow): DeliveryStatus {
  const statuses = [row.adGroupAd?.status, row.adGroup?.status, row.campaign?.status];
  if (statuses.includes('REMOVED')) return 'deleted';
  if (statuses.includes('PAUSED')) return 'paused';
  if (!statuses.every((s) => s === 'ENABLED')) return 'other';
  const review = row.adGroupAd?.policySummary?.reviewStatus;
  const approval = row.adGroupAd?.policySummary?.approvalStatus;
  if (review === 'REVIEW_IN_PROGRESS') return 'pending_review';
  if (approval === 'DISAPPROVED') return 'disapproved';
  if (approval === undefined || APPROVED.has(approval)) return 'active';
  return 'other';
}

const customParameters = (list: CustomParameterJson[] | undefined): CustomParameter[] =>
  (list ?? []).map((p) => ({ key: p.key ?? '', value: p.value ?? '' }));

export function toAdRecord(accountId: string, row: AdRow, listedAt: string): AdRecord {
  const ad = row.adGroupAd?.ad ?? {};
  const campaign = row.campaign ?? {};
  const adGroup = row.adGroup ?? {};
  const policy = row.adGroupAd?.policySummary ?? {};
  const tracking: GoogleAdTracking = {
    network: 'google',
    channelType: campaign.advertisingChannelType ?? 'UNKNOWN',
    customerTrackingUrlTemplate: row.customer?.trackingUrlTemplate ?? '',
    campaignTrackingUrlTemplate: campaign.trackingUrlTemplate ?? '',
    campaignCustomParameters: customParameters(campaign.urlCustomParameters),
    campaignFinalUrlSuffix: campaign.finalUrlSuffix ?? '',
    adGroupTrackingUrlTemplate: adGroup.trackingUrlTemplate ?? '',
    adTrackingUrlTemplate: ad.trackingUrlTemplate ?? '',
  };
  const rawStatus = [
    `ad=${row.adGroupAd?.status ?? '?'}`,
    `adGroup=${adGroup.status ?? '?'}`,
    `campaign=${campaign.status ?? '?'}`,
    ...(policy.reviewStatus ? [`review=${policy.reviewStatus}`] : []),
    ...(policy.approvalStatus ? [`approval=${policy.approvalStatus}`] : []),
  ].join(' ');
  return {
    network: 'google',
    accountId,
    adId: ad.id ?? '',
    // Most Google ad types have no name of their own.
    name: ad.name ?? `${adGroup.name ?? 'Ad group'} · ${ad.type ?? 'AD'} ${ad.id ?? ''}`.trim(),
    status: deliveryStatus(row),
    rawStatus,
    // Google reports no per-ad modification time on ad_group_ad; the listing time stands in.
    updatedTime: listedAt,
    campaign: { id: campaign.id ?? '', name: campaign.name ?? '' },
    adGroup: { id: adGroup.id ?? '', name: adGroup.name ?? '' },
    landingUrl: ad.finalUrls?.[0] ?? null,
    tracking,
  };
}

/** Deliverable = enabled everywhere and (under review or not disapproved). */
export function isDeliverable(record: AdRecord): boolean {
  return record.status === 'active' || record.status === 'pending_review';
}

export function toAccountInfo(c: NonNullable<CustomerRow['customer']> | NonNullable<CustomerClientRow['customerClient']>): AdAccountInfo {
  return {
    externalId: c.id ?? '',
    name: c.descriptiveName ?? c.id ?? '',
    ...(c.currencyCode ? { currency: c.currencyCode } : {}),
    ...(c.timeZone ? { timezone: c.timeZone } : {}),
    status: c.status ?? 'UNKNOWN',
  };
}

export function toAdDayMetrics(row: MetricsRow): AdDayMetrics {
  const m = row.metrics ?? {};
  return {
    adId: row.adGroupAd?.ad?.id ?? '',
    date: row.segments?.date ?? '',
    impressions: Number(m.impressions ?? 0),
    clicks: Number(m.clicks ?? 0),
    // cost_micros is the account currency × 10^6 (reference §6).
    spend: Number(m.costMicros ?? 0) / 1_000_000,
    conversions: Number(m.conversions ?? 0),
  };
}

export function toLeadForm(row: AssetRow): LeadForm {
  const asset = row.asset ?? {};
  return {
    formId: asset.id ?? '',
    name: asset.name ?? asset.leadFormAsset?.headline ?? asset.id ?? '',
    // Assets have no serving status of their own; their policy approval is the closest signal.
    status: asset.policySummary?.approvalStatus ?? 'UNKNOWN',
  };
}

export function toNetworkLead(row: LeadRow, timeZone: string): NetworkLead {
  const lead = row.leadFormSubmissionData ?? {};
  const fields: Record<string, string> = {};
  for (const f of lead.leadFormSubmissionFields ?? []) if (f.fieldType) fields[f.fieldType.toLowerCase()] = f.fieldValue ?? '';
  for (const f of lead.customLeadFormSubmissionFields ?? []) if (f.questionText) fields[f.questionText] = f.fieldValue ?? '';
  // The click id is what click-conversion uploads need later (reference §4.2); it travels with the answers.
  if (lead.gclid) fields.gclid = lead.gclid;
  const adId = lead.adGroupAd ? idFromResourceName(lead.adGroupAd) : undefined;
  const adGroupId = lead.adGroup ? idFromResourceName(lead.adGroup) : undefined;
  const campaignId = lead.campaign ? idFromResourceName(lead.campaign) : undefined;
  return {
    network: 'google',
    leadId: lead.id ?? '',
    formId: idFromResourceName(lead.asset) ?? '',
    ...(adId ? { adId } : {}),
    ...(adGroupId ? { adGroupId } : {}),
    ...(campaignId ? { campaignId } : {}),
    createdTime: parseAccountDateTime(lead.submissionDateTime ?? '', timeZone) ?? new Date(0).toISOString(),
    // A submission not attributed to any campaign did not come from an ad.
    isOrganic: !lead.campaign,
    fields,
  };
}
