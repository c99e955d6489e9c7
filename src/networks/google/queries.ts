/** The GAQL the client sends (reference §2, §5.1, §6), in one place. */

/** Ids and customer ids go into GAQL and paths: digits only. */
export function digits(value: string, what: string): string {
  const clean = value.replace(/-/g, '');
  if (!/^\d+$/.test(clean)) throw new Error(`Invalid Google Ads ${what}: ${value}`);
  return clean;
}

/** A GAQL string literal. */
export const gaqlString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export const ACCOUNT_QUERY =
  'SELECT customer.id, customer.descriptive_name, customer.currency_code, customer.time_zone, customer.manager, customer.status FROM customer';

export const MANAGED_CLIENTS_QUERY =
  'SELECT customer_client.id, customer_client.descriptive_name, customer_client.currency_code, customer_client.time_zone, ' +
  'customer_client.status, customer_client.manager, customer_client.level FROM customer_client WHERE customer_client.manager = FALSE';

export const TIME_ZONE_QUERY = 'SELECT customer.id, customer.time_zone FROM customer';

const AD_FIELDS = [
  'customer.id',
  'customer.tracking_url_template',
  'campaign.id',
  'campaign.name',
  'campaign.status',
  'campaign.advertising_channel_type',
  'campaign.tracking_url_template',
  'campaign.final_url_suffix',
  'campaign.url_custom_parameters',
  'ad_group.id',
  'ad_group.name',
  'ad_group.status',
  'ad_group.tracking_url_template',
  'ad_group_ad.status',
  'ad_group_ad.ad.id',
  'ad_group_ad.ad.name',
  'ad_group_ad.ad.type',
  'ad_group_ad.ad.final_urls',
  'ad_group_ad.ad.tracking_url_template',
  'ad_group_ad.policy_summary.approval_status',
  'ad_group_ad.policy_summary.review_status',
];

/** Enabled at every level; disapproved ads are dropped client-side (GAQL has no OR, §2.4). */
export const DELIVERABLE_FILTERS = ["ad_group_ad.status = 'ENABLED'", "ad_group.status = 'ENABLED'", "campaign.status = 'ENABLED'"];

export function adsQuery(filters: string[]): string {
  const where = filters.length > 0 ? ` WHERE ${filters.join(' AND ')}` : '';
  return `SELECT ${AD_FIELDS.join(', ')} FROM ad_group_ad${where} ORDER BY ad_group_ad.ad.id`;
}

export const CHANGE_STATUS_LIMIT = 10_000;

/**
 * Cheap change detection: change_status lists the entities changed in a window (one row per entity,
 * its latest change). Google requires a finite last_change_date_time range and a LIMIT ≤ 10,000.
 */
export function changesQuery(sinceLocal: string, untilLocal: string): string {
  return (
    'SELECT change_status.resource_type, change_status.last_change_date_time, change_status.campaign, ' +
    'change_status.ad_group, change_status.ad_group_ad FROM change_status ' +
    `WHERE change_status.last_change_date_time >= ${gaqlString(sinceLocal)} AND change_status.last_change_date_time <= ${gaqlString(untilLocal)} ` +
    "AND change_status.resource_type IN ('CAMPAIGN', 'AD_GROUP', 'AD_GROUP_AD') " +
    `ORDER BY change_status.last_change_date_time LIMIT ${CHANGE_STATUS_LIMIT}`
  );
}

export function metricsQuery(from: string, to: string): string {
  return (
    'SELECT ad_group_ad.ad.id, segments.date, metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions ' +
    `FROM ad_group_ad WHERE segments.date BETWEEN ${gaqlString(from)} AND ${gaqlString(to)} ORDER BY segments.date, ad_group_ad.ad.id`
  );
}

export const LEAD_FORMS_QUERY =
  'SELECT asset.id, asset.name, asset.type, asset.lead_form_asset.headline, asset.policy_summary.approval_status ' +
  "FROM asset WHERE asset.type = 'LEAD_FORM' ORDER BY asset.id";

export function leadsQuery(customerId: string, formId: string, sinceLocal?: string): string {
  const filters = [`lead_form_submission_data.asset = ${gaqlString(`customers/${customerId}/assets/${formId}`)}`];
  if (sinceLocal) filters.push(`lead_form_submission_data.submission_date_time >= ${gaqlString(sinceLocal)}`);
  return (
    'SELECT lead_form_submission_data.id, lead_form_submission_data.asset, lead_form_submission_data.campaign, ' +
    'lead_form_submission_data.ad_group, lead_form_submission_data.ad_group_ad, lead_form_submission_data.gclid, ' +
    'lead_form_submission_data.submission_date_time, lead_form_submission_data.lead_form_submission_fields, ' +
    'lead_form_submission_data.custom_lead_form_submission_fields ' +
    `FROM lead_form_submission_data WHERE ${filters.join(' AND ')}`
  );
}

export const CONVERSION_ACTIONS_QUERY =
  'SELECT conversion_action.id, conversion_action.name, conversion_action.type, conversion_action.status FROM conversion_action ORDER BY conversion_action.id';
