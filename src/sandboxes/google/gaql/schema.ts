import type { MetricValues } from '../metrics';
import type {
  Ad,
  AdGroup,
  Campaign,
  Click,
  ConversionAction,
  Customer,
  GoogleWorld,
  Keyword,
  LeadFormAsset,
  LeadSubmission,
} from '../world';
import { ENTITY_STATUSES } from '../world';

/** Field catalogue of the GAQL subset: snake_case names, types, categories and how to read them. */

export interface ChangeRow {
  id: string;
  resourceType: 'CAMPAIGN' | 'AD_GROUP' | 'AD_GROUP_AD' | 'AD_GROUP_CRITERION' | 'ASSET';
  resourceStatus: 'ADDED' | 'CHANGED' | 'REMOVED';
  at: number;
  campaign?: Campaign;
  adGroup?: AdGroup;
  ad?: Ad;
  keyword?: Keyword;
  asset?: LeadFormAsset;
}

export interface RowCtx {
  world: GoogleWorld;
  /** The customer the request is for. */
  customer: Customer;
  campaign?: Campaign;
  adGroup?: AdGroup;
  ad?: Ad;
  keyword?: Keyword;
  conversionAction?: ConversionAction;
  asset?: LeadFormAsset;
  submission?: LeadSubmission;
  click?: Click;
  change?: ChangeRow;
  client?: { customer: Customer; level: number };
  date?: string;
  metrics?: MetricValues;
}

export type FieldType = 'int64' | 'string' | 'enum' | 'bool' | 'double' | 'date' | 'datetime' | 'resource_name' | 'string_list' | 'message_list';

export interface FieldDef {
  type: FieldType;
  category: 'ATTRIBUTE' | 'SEGMENT' | 'METRIC';
  get(ctx: RowCtx): unknown;
  enumValues?: readonly string[];
  /** How a datetime renders: change_status uses micros without offset, lead submissions an offset. */
  datetimeStyle?: { micros?: boolean; offset?: boolean };
}

const cid = (ctx: RowCtx) => ctx.customer.id;

/** Scalar field value as text (ids, enums, dates); objects never reach here. */
export const asText = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));

/** Resource names of every object a row can hold, keyed by the snake_case path of that object. */
export const RESOURCE_NAMES: Record<string, (ctx: RowCtx) => string | undefined> = {
  customer: (ctx) => `customers/${cid(ctx)}`,
  customer_client: (ctx) => (ctx.client ? `customers/${cid(ctx)}/customerClients/${ctx.client.customer.id}` : undefined),
  campaign: (ctx) => (ctx.campaign ? `customers/${cid(ctx)}/campaigns/${ctx.campaign.id}` : undefined),
  ad_group: (ctx) => (ctx.adGroup ? `customers/${cid(ctx)}/adGroups/${ctx.adGroup.id}` : undefined),
  ad_group_ad: (ctx) => (ctx.ad ? `customers/${cid(ctx)}/adGroupAds/${ctx.ad.adGroupId}~${ctx.ad.id}` : undefined),
  'ad_group_ad.ad': (ctx) => (ctx.ad ? `customers/${cid(ctx)}/ads/${ctx.ad.id}` : undefined),
  ad_group_criterion: (ctx) => (ctx.keyword ? `customers/${cid(ctx)}/adGroupCriteria/${ctx.keyword.adGroupId}~${ctx.keyword.id}` : undefined),
  keyword_view: (ctx) => (ctx.keyword ? `customers/${cid(ctx)}/keywordViews/${ctx.keyword.adGroupId}~${ctx.keyword.id}` : undefined),
  conversion_action: (ctx) => (ctx.conversionAction ? `customers/${cid(ctx)}/conversionActions/${ctx.conversionAction.id}` : undefined),
  asset: (ctx) => (ctx.asset ? `customers/${cid(ctx)}/assets/${ctx.asset.id}` : undefined),
  lead_form_submission_data: (ctx) => (ctx.submission ? `customers/${cid(ctx)}/leadFormSubmissionData/${ctx.submission.id}` : undefined),
  click_view: (ctx) => (ctx.click && ctx.date ? `customers/${cid(ctx)}/clickViews/${ctx.date}~${ctx.click.gclid}` : undefined),
  change_status: (ctx) => (ctx.change ? `customers/${cid(ctx)}/changeStatus/${ctx.change.id}` : undefined),
};

const attr = (type: FieldType, get: (ctx: RowCtx) => unknown, enumValues?: readonly string[]): FieldDef => ({
  type,
  category: 'ATTRIBUTE',
  get,
  ...(enumValues ? { enumValues } : {}),
});
const rn = (path: string): FieldDef => attr('resource_name', (ctx) => RESOURCE_NAMES[path]?.(ctx));
const metric = (type: FieldType, key: keyof MetricValues): FieldDef => ({ type, category: 'METRIC', get: (ctx) => ctx.metrics?.[key] });

const CHANNEL_TYPES = ['SEARCH', 'DISPLAY', 'SHOPPING', 'HOTEL', 'VIDEO', 'MULTI_CHANNEL', 'LOCAL', 'SMART', 'PERFORMANCE_MAX', 'LOCAL_SERVICES', 'TRAVEL', 'DEMAND_GEN', 'UNKNOWN'];
const REVIEW_STATUSES = ['REVIEW_IN_PROGRESS', 'REVIEWED', 'UNDER_APPEAL', 'ELIGIBLE_MAY_SERVE', 'UNKNOWN'];
const APPROVAL_STATUSES = ['APPROVED', 'APPROVED_LIMITED', 'AREA_OF_INTEREST_ONLY', 'DISAPPROVED', 'UNKNOWN'];
const ASSET_TYPES = ['LEAD_FORM', 'TEXT', 'IMAGE', 'SITELINK', 'YOUTUBE_VIDEO', 'CALLOUT'];
const RESOURCE_TYPES = ['CAMPAIGN', 'AD_GROUP', 'AD_GROUP_AD', 'AD_GROUP_CRITERION', 'ASSET', 'CUSTOMER_ASSET', 'CAMPAIGN_CRITERION'];

function urlFields(prefix: string, pick: (ctx: RowCtx) => { trackingUrlTemplate?: string; finalUrlSuffix?: string; urlCustomParameters: unknown[] } | undefined) {
  return {
    [`${prefix}.tracking_url_template`]: attr('string', (ctx) => pick(ctx)?.trackingUrlTemplate),
    [`${prefix}.final_url_suffix`]: attr('string', (ctx) => pick(ctx)?.finalUrlSuffix),
    [`${prefix}.url_custom_parameters`]: attr('message_list', (ctx) => pick(ctx)?.urlCustomParameters),
  };
}

export const FIELDS: Record<string, FieldDef> = {
  'customer.resource_name': rn('customer'),
  'customer.id': attr('int64', (ctx) => ctx.customer.id),
  'customer.descriptive_name': attr('string', (ctx) => ctx.customer.descriptiveName),
  'customer.currency_code': attr('string', (ctx) => ctx.customer.currencyCode),
  'customer.time_zone': attr('string', (ctx) => ctx.customer.timeZone),
  'customer.auto_tagging_enabled': attr('bool', (ctx) => ctx.customer.autoTaggingEnabled),
  'customer.tracking_url_template': attr('string', (ctx) => ctx.customer.trackingUrlTemplate),
  'customer.final_url_suffix': attr('string', (ctx) => ctx.customer.finalUrlSuffix),
  'customer.manager': attr('bool', (ctx) => ctx.customer.manager),
  'customer.test_account': attr('bool', (ctx) => ctx.customer.testAccount),
  'customer.status': attr('enum', (ctx) => ctx.customer.status, ['ENABLED', 'CANCELED', 'SUSPENDED', 'CLOSED']),
  'customer.conversion_tracking_setting.accepted_customer_data_terms': attr('bool', (ctx) => ctx.customer.acceptedCustomerDataTerms),
  'customer.conversion_tracking_setting.enhanced_conversions_for_leads_enabled': attr('bool', (ctx) => ctx.customer.enhancedConversionsForLeadsEnabled),

  'customer_client.resource_name': rn('customer_client'),
  'customer_client.id': attr('int64', (ctx) => ctx.client?.customer.id),
  'customer_client.client_customer': attr('resource_name', (ctx) => (ctx.client ? `customers/${ctx.client.customer.id}` : undefined)),
  'customer_client.descriptive_name': attr('string', (ctx) => ctx.client?.customer.descriptiveName),
  'customer_client.manager': attr('bool', (ctx) => ctx.client?.customer.manager),
  'customer_client.level': attr('int64', (ctx) => ctx.client?.level),
  'customer_client.status': attr('enum', (ctx) => ctx.client?.customer.status, ['ENABLED', 'CANCELED', 'SUSPENDED', 'CLOSED']),
  'customer_client.currency_code': attr('string', (ctx) => ctx.client?.customer.currencyCode),
  'customer_client.time_zone': attr('string', (ctx) => ctx.client?.customer.timeZone),
  'customer_client.test_account': attr('bool', (ctx) => ctx.client?.customer.testAccount),

  'campaign.resource_name': rn('campaign'),
  'campaign.id': attr('int64', (ctx) => ctx.campaign?.id),
  'campaign.name': attr('string', (ctx) => ctx.campaign?.name),
  'campaign.status': attr('enum', (ctx) => ctx.campaign?.status, ENTITY_STATUSES),
  'campaign.advertising_channel_type': attr('enum', (ctx) => ctx.campaign?.channelType, CHANNEL_TYPES),
  'campaign.serving_status': attr(
    'enum',
    (ctx) => (ctx.campaign ? (ctx.campaign.status === 'REMOVED' ? 'NONE' : 'SERVING') : undefined),
    ['SERVING', 'NONE', 'ENDED', 'PENDING', 'SUSPENDED'],
  ),
  ...urlFields('campaign', (ctx) => ctx.campaign),

  'ad_group.resource_name': rn('ad_group'),
  'ad_group.id': attr('int64', (ctx) => ctx.adGroup?.id),
  'ad_group.name': attr('string', (ctx) => ctx.adGroup?.name),
  'ad_group.status': attr('enum', (ctx) => ctx.adGroup?.status, ENTITY_STATUSES),
  'ad_group.campaign': attr('resource_name', (ctx) => RESOURCE_NAMES.campaign?.(ctx)),
  ...urlFields('ad_group', (ctx) => ctx.adGroup),

  'ad_group_ad.resource_name': rn('ad_group_ad'),
  'ad_group_ad.status': attr('enum', (ctx) => ctx.ad?.status, ENTITY_STATUSES),
  'ad_group_ad.ad_group': attr('resource_name', (ctx) => RESOURCE_NAMES.ad_group?.(ctx)),
  'ad_group_ad.ad.resource_name': rn('ad_group_ad.ad'),
  'ad_group_ad.ad.id': attr('int64', (ctx) => ctx.ad?.id),
  'ad_group_ad.ad.name': attr('string', (ctx) => ctx.ad?.name),
  'ad_group_ad.ad.type': attr('enum', (ctx) => ctx.ad?.type),
  'ad_group_ad.ad.final_urls': attr('string_list', (ctx) => ctx.ad?.finalUrls),
  ...urlFields('ad_group_ad.ad', (ctx) => ctx.ad),
  'ad_group_ad.policy_summary.approval_status': attr('enum', (ctx) => ctx.ad?.approvalStatus, APPROVAL_STATUSES),
  'ad_group_ad.policy_summary.review_status': attr('enum', (ctx) => ctx.ad?.reviewStatus, REVIEW_STATUSES),

  'ad_group_criterion.resource_name': rn('ad_group_criterion'),
  'ad_group_criterion.criterion_id': attr('int64', (ctx) => ctx.keyword?.id),
  'ad_group_criterion.ad_group': attr('resource_name', (ctx) => RESOURCE_NAMES.ad_group?.(ctx)),
  'ad_group_criterion.status': attr('enum', (ctx) => ctx.keyword?.status, ENTITY_STATUSES),
  'ad_group_criterion.type': attr('enum', (ctx) => (ctx.keyword ? 'KEYWORD' : undefined)),
  'ad_group_criterion.keyword.text': attr('string', (ctx) => ctx.keyword?.text),
  'ad_group_criterion.keyword.match_type': attr('enum', (ctx) => ctx.keyword?.matchType, ['EXACT', 'PHRASE', 'BROAD']),
  'ad_group_criterion.final_urls': attr('string_list', (ctx) => ctx.keyword?.finalUrls),
  ...urlFields('ad_group_criterion', (ctx) => ctx.keyword),
  'keyword_view.resource_name': rn('keyword_view'),

  'conversion_action.resource_name': rn('conversion_action'),
  'conversion_action.id': attr('int64', (ctx) => ctx.conversionAction?.id),
  'conversion_action.name': attr('string', (ctx) => ctx.conversionAction?.name),
  'conversion_action.type': attr('enum', (ctx) => ctx.conversionAction?.type),
  'conversion_action.status': attr('enum', (ctx) => ctx.conversionAction?.status, ['ENABLED', 'REMOVED', 'HIDDEN']),

  'asset.resource_name': rn('asset'),
  'asset.id': attr('int64', (ctx) => ctx.asset?.id),
  'asset.name': attr('string', (ctx) => ctx.asset?.name),
  'asset.type': attr('enum', (ctx) => (ctx.asset ? 'LEAD_FORM' : undefined), ASSET_TYPES),
  'asset.lead_form_asset.headline': attr('string', (ctx) => ctx.asset?.headline),
  'asset.lead_form_asset.business_name': attr('string', (ctx) => ctx.asset?.businessName),
  'asset.lead_form_asset.fields': attr('message_list', (ctx) => ctx.asset?.fields.map((inputType) => ({ inputType }))),
  'asset.lead_form_asset.custom_question_fields': attr('message_list', (ctx) =>
    ctx.asset?.customQuestions.map((q) => ({ customQuestionText: q.questionText })),
  ),
  'asset.lead_form_asset.delivery_methods': attr('message_list', (ctx) =>
    ctx.asset?.webhook
      ? [
          {
            webhook: {
              advertiserWebhookUrl: ctx.asset.webhook.url,
              googleSecret: ctx.asset.webhook.googleKey,
              payloadSchemaVersion: String(ctx.asset.webhook.payloadSchemaVersion),
            },
          },
        ]
      : undefined,
  ),
  'asset.policy_summary.approval_status': attr('enum', (ctx) => (ctx.asset ? 'APPROVED' : undefined), APPROVAL_STATUSES),
  'asset.policy_summary.review_status': attr('enum', (ctx) => (ctx.asset ? 'REVIEWED' : undefined), REVIEW_STATUSES),

  'lead_form_submission_data.resource_name': rn('lead_form_submission_data'),
  'lead_form_submission_data.id': attr('string', (ctx) => ctx.submission?.id),
  'lead_form_submission_data.asset': attr('resource_name', (ctx) => (ctx.submission ? `customers/${cid(ctx)}/assets/${ctx.submission.assetId}` : undefined)),
  'lead_form_submission_data.campaign': attr('resource_name', (ctx) => RESOURCE_NAMES.campaign?.(ctx)),
  'lead_form_submission_data.ad_group': attr('resource_name', (ctx) => RESOURCE_NAMES.ad_group?.(ctx)),
  'lead_form_submission_data.ad_group_ad': attr('resource_name', (ctx) => RESOURCE_NAMES.ad_group_ad?.(ctx)),
  'lead_form_submission_data.gclid': attr('string', (ctx) => ctx.submission?.gclid),
  'lead_form_submission_data.submission_date_time': { ...attr('datetime', (ctx) => ctx.submission?.submittedAt), datetimeStyle: { offset: true } },
  'lead_form_submission_data.lead_form_submission_fields': attr('message_list', (ctx) => ctx.submission?.fields),
  'lead_form_submission_data.custom_lead_form_submission_fields': attr('message_list', (ctx) =>
    ctx.submission?.customFields.map((f) => ({ questionText: f.questionText, fieldValue: f.fieldValue })),
  ),

  'click_view.resource_name': rn('click_view'),
  'click_view.gclid': attr('string', (ctx) => ctx.click?.gclid),
  'click_view.ad_group_ad': attr('resource_name', (ctx) => (ctx.click ? `customers/${cid(ctx)}/adGroupAds/${ctx.click.adGroupId}~${ctx.click.adId}` : undefined)),
  'click_view.keyword': attr('resource_name', (ctx) =>
    ctx.click?.keywordId ? `customers/${cid(ctx)}/adGroupCriteria/${ctx.click.adGroupId}~${ctx.click.keywordId}` : undefined,
  ),

  'change_status.resource_name': rn('change_status'),
  'change_status.last_change_date_time': { ...attr('datetime', (ctx) => ctx.change?.at), datetimeStyle: { micros: true } },
  'change_status.resource_type': attr('enum', (ctx) => ctx.change?.resourceType, RESOURCE_TYPES),
  'change_status.resource_status': attr('enum', (ctx) => ctx.change?.resourceStatus, ['ADDED', 'CHANGED', 'REMOVED']),
  'change_status.campaign': attr('resource_name', (ctx) => (ctx.change?.campaign ? `customers/${cid(ctx)}/campaigns/${ctx.change.campaign.id}` : undefined)),
  'change_status.ad_group': attr('resource_name', (ctx) => (ctx.change?.adGroup ? `customers/${cid(ctx)}/adGroups/${ctx.change.adGroup.id}` : undefined)),
  'change_status.ad_group_ad': attr('resource_name', (ctx) =>
    ctx.change?.ad ? `customers/${cid(ctx)}/adGroupAds/${ctx.change.ad.adGroupId}~${ctx.change.ad.id}` : undefined,
  ),
  'change_status.ad_group_criterion': attr('resource_name', (ctx) =>
    ctx.change?.keyword ? `customers/${cid(ctx)}/adGroupCriteria/${ctx.change.keyword.adGroupId}~${ctx.change.keyword.id}` : undefined,
  ),
  'change_status.asset': attr('resource_name', (ctx) => (ctx.change?.asset ? `customers/${cid(ctx)}/assets/${ctx.change.asset.id}` : undefined)),

  'metrics.impressions': metric('int64', 'impressions'),
  'metrics.clicks': metric('int64', 'clicks'),
  'metrics.cost_micros': metric('int64', 'costMicros'),
  'metrics.conversions': metric('double', 'conversions'),
  'metrics.conversions_value': metric('double', 'conversionsValue'),
  'segments.date': { type: 'date', category: 'SEGMENT', get: (ctx) => ctx.date },
};

const RESOURCE_PREFIXES = Object.keys(RESOURCE_NAMES)
  .filter((k) => !k.includes('.'))
  .concat(['metrics', 'segments'])
  .sort((a, b) => b.length - a.length);

/** The resource a field belongs to: the longest resource name that prefixes it. */
export function resourceOfField(field: string): string | undefined {
  return RESOURCE_PREFIXES.find((r) => field.startsWith(`${r}.`));
}
