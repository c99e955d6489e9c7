import type { AdDayMetrics } from '../types';

export interface GraphAction {
  action_type: string;
  value: string;
}

export interface GraphInsightRow {
  ad_id?: string;
  impressions?: string;
  clicks?: string;
  spend?: string;
  actions?: GraphAction[];
  date_start?: string;
  date_stop?: string;
}

/**
 * TRK-4 engagements = reactions + comments + shares of the ad's post, read from the ad's lifetime
 * insights `actions` (§4.1: `post_reaction`, `comment`, `post` = shares). `post_engagement` is not
 * used: it also counts link clicks, which say nothing about the social proof an edit would reset.
 */
export const ENGAGEMENT_ACTION_TYPES = ['post_reaction', 'comment', 'post'];

/**
 * Network conversions (REP-1): the aggregate action types only. The granular ones
 * (`onsite_conversion.lead_grouped`, `offsite_conversion.fb_pixel_lead`, …) repeat the same
 * conversions and would double-count.
 */
export const CONVERSION_ACTION_TYPES = ['lead', 'purchase', 'complete_registration'];

export function sumActions(actions: GraphAction[] | undefined, types: readonly string[]): number {
  return (actions ?? []).filter((a) => types.includes(a.action_type)).reduce((sum, a) => sum + (Number(a.value) || 0), 0);
}

export function toDayMetrics(row: GraphInsightRow): AdDayMetrics {
  return {
    adId: row.ad_id ?? '',
    date: row.date_start ?? '',
    impressions: Number(row.impressions ?? 0) || 0,
    clicks: Number(row.clicks ?? 0) || 0,
    spend: Number(row.spend ?? 0) || 0,
    conversions: sumActions(row.actions, CONVERSION_ACTION_TYPES),
  };
}
