/**
 * CMP-2: a campaign's first-touch, last-touch and influenced contacts (ATT-4), counted from the
 * association time on (already applied per touch by summariseContactCampaigns) and within the
 * campaign's start/end dates (CMP-1).
 */
import { withinCampaignDates, type Campaign } from './campaign-assets';
import type { ContactCampaignSummary } from './campaign-touch';

export interface CampaignContactMetrics {
  firstTouch: string[];
  lastTouch: string[];
  influenced: string[];
}

export function campaignContactMetrics(
  campaign: Campaign,
  contacts: readonly { contactId: string; summary: ContactCampaignSummary }[],
): CampaignContactMetrics {
  const metrics: CampaignContactMetrics = { firstTouch: [], lastTouch: [], influenced: [] };
  for (const { contactId, summary } of contacts) {
    const { firstTouch, lastTouch } = summary;
    if (firstTouch?.campaignId === campaign.id && withinCampaignDates(campaign, firstTouch.at)) metrics.firstTouch.push(contactId);
    if (lastTouch?.campaignId === campaign.id && withinCampaignDates(campaign, lastTouch.at)) metrics.lastTouch.push(contactId);
    if (summary.influenced.some((touch) => touch.campaignId === campaign.id && withinCampaignDates(campaign, touch.at))) {
      metrics.influenced.push(contactId);
    }
  }
  return metrics;
}
