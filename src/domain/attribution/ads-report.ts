/**
 * REP-2: per ad, the network's numbers next to the contacts this system attributed. They differ
 * by design and the report says so: a network conversion counts actions (one visitor submitting a
 * form 10 times = 10 conversions, and the network needs no cookie), an attributed contact counts
 * distinct tracked people (= 1), credited only for a first conversion in the click's session.
 */
import type { AdDayMetrics, Network, Ref } from '../../networks/types';
import { plainObjectId } from '../tracking';

export const REP2_NOTE =
  'Network conversions and attributed contacts are different measures and are not expected to match. ' +
  'A network conversion counts actions: if one visitor submits a form 10 times, the network may count 10 conversions. ' +
  'Attributed contacts count distinct tracked people: those 10 submissions are 1 contact. Apart from lead-ad contacts, ' +
  'a contact is only attributed when the visitor carried the tracking cookie and converted for the first time in the ' +
  'session the ad click started; the network needs neither.';

export interface ReportAd {
  network: Network;
  accountId: string;
  adId: string;
  name: string;
  campaign?: Ref;
  trackingStatus: string;
  /** Human explanation when the ad is not tracked (TRK-11). */
  trackingReason?: string;
  /** Delivery state (active, paused, disapproved, ...) and the network's own word for it. */
  status?: string;
  networkStatus?: string;
}

/** A contact credited to an ad (ATTRIBUTED or LEAD_AD), with the click time. */
export interface AdAttributionRef {
  contactId: string;
  adId: string;
  clickAt: string;
}

export interface AdsReportRow extends ReportAd {
  impressions: number;
  clicks: number;
  spend: number;
  /** Actions the network counted (REP-1). */
  networkConversions: number;
  /** Distinct contacts this system attributed to the ad. */
  attributedContacts: number;
}

export interface AdsReport {
  rows: AdsReportRow[];
  totals: { impressions: number; clicks: number; spend: number; networkConversions: number; attributedContacts: number };
  note: string;
}

/** Network numbers for an ad: one day, or (without `date`) a sum the database already filtered to the range. */
export type AdMetricsInput = Omit<AdDayMetrics, 'date'> & { date?: string };

/** Contacts credited to an ad, counted by the database: each contact is credited to one ad only, so counts add up. */
export interface AdAttributionCount {
  adId: string;
  contacts: number;
}

export interface AdsReportInput {
  network: Network;
  accountId: string;
  ads: readonly ReportAd[];
  metrics: readonly AdMetricsInput[];
  attributions: readonly AdAttributionRef[];
  attributionCounts?: readonly AdAttributionCount[];
  /** Inclusive YYYY-MM-DD bounds on metric days and on attribution click dates (UTC). */
  range?: { from: string; to: string };
}

/** Float sums of currency amounts pick up noise (0.1 + 0.2); six decimals cover every currency. */
const roundMoney = (value: number): number => Math.round(value * 1e6) / 1e6;

export function buildAdsReport(input: AdsReportInput): AdsReport {
  const inRange = (day: string): boolean => input.range === undefined || (day >= input.range.from && day <= input.range.to);
  const rows = new Map<string, AdsReportRow & { contacts: Set<string>; counted: number }>();
  const rowOf = (adId: string): AdsReportRow & { contacts: Set<string>; counted: number } => {
    const key = plainObjectId(adId);
    let row = rows.get(key);
    if (row === undefined) {
      row = {
        network: input.network,
        accountId: input.accountId,
        adId,
        name: adId,
        trackingStatus: 'unknown',
        impressions: 0,
        clicks: 0,
        spend: 0,
        networkConversions: 0,
        attributedContacts: 0,
        contacts: new Set(),
        counted: 0,
      };
      rows.set(key, row);
    }
    return row;
  };

  for (const ad of input.ads) Object.assign(rowOf(ad.adId), ad);
  for (const day of input.metrics) {
    if (day.date !== undefined && !inRange(day.date)) continue;
    const row = rowOf(day.adId);
    row.impressions += day.impressions;
    row.clicks += day.clicks;
    row.spend = roundMoney(row.spend + day.spend);
    row.networkConversions += day.conversions;
  }
  for (const attribution of input.attributions) {
    if (!inRange(attribution.clickAt.slice(0, 10))) continue;
    rowOf(attribution.adId).contacts.add(attribution.contactId);
  }
  for (const count of input.attributionCounts ?? []) rowOf(count.adId).counted += count.contacts;

  const everyone = new Set<string>();
  let counted = 0;
  const result: AdsReportRow[] = [];
  for (const { contacts, counted: rowCounted, ...row } of rows.values()) {
    contacts.forEach((id) => everyone.add(id));
    counted += rowCounted;
    result.push({ ...row, attributedContacts: contacts.size + rowCounted });
  }
  result.sort((a, b) => b.spend - a.spend || a.adId.localeCompare(b.adId));
  const sum = (pick: (row: AdsReportRow) => number): number => result.reduce((total, row) => total + pick(row), 0);
  return {
    rows: result,
    totals: {
      impressions: sum((r) => r.impressions),
      clicks: sum((r) => r.clicks),
      spend: roundMoney(sum((r) => r.spend)),
      networkConversions: sum((r) => r.networkConversions),
      attributedContacts: everyone.size + counted,
    },
    note: REP2_NOTE,
  };
}
