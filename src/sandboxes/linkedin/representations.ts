import { urn } from './restli';
import type {
  AccountRecord,
  CampaignGroupRecord,
  CampaignRecord,
  CreativeRecord,
  LeadFormRecord,
  LeadResponseRecord,
  LinkedInWorld,
  PostRecord,
  ConversionRuleRecord,
} from './state';

/** JSON views of the world, in the shapes of reference §2-§4. */

const stamps = (createdAt: number, lastModifiedAt: number) => ({
  changeAuditStamps: { created: { time: createdAt }, lastModified: { time: lastModifiedAt } },
});

export function accountView(a: AccountRecord) {
  return {
    id: a.id,
    name: a.name,
    currency: a.currency,
    reference: a.reference,
    status: a.status,
    type: a.type,
    test: a.test,
    servingStatuses: a.status === 'ACTIVE' ? ['RUNNABLE'] : ['STOPPED'],
    notifiedOnCampaignOptimization: true,
    notifiedOnCreativeApproval: false,
    version: { versionTag: String(a.version) },
    ...stamps(a.createdAt, a.lastModifiedAt),
  };
}

export function groupView(g: CampaignGroupRecord) {
  return {
    id: g.id,
    account: urn.account(g.accountId),
    name: g.name,
    status: g.status,
    runSchedule: { start: g.runStart },
    servingStatuses: g.status === 'ACTIVE' ? ['RUNNABLE'] : ['STOPPED'],
    test: false,
    backfilled: g.backfilled,
    ...stamps(g.createdAt, g.lastModifiedAt),
  };
}

export function campaignView(c: CampaignRecord, currency: string) {
  return {
    id: c.id,
    account: urn.account(c.accountId),
    campaignGroup: urn.group(c.groupId),
    name: c.name,
    status: c.status,
    type: c.type,
    format: c.format,
    costType: c.costType,
    objectiveType: c.objectiveType,
    dailyBudget: { amount: c.dailyBudget, currencyCode: currency },
    unitCost: { amount: c.unitCost, currencyCode: currency },
    locale: { country: 'US', language: 'en' },
    runSchedule: { start: c.runStart },
    offsiteDeliveryEnabled: false,
    servingStatuses: c.status === 'ACTIVE' ? ['RUNNABLE'] : ['STOPPED'],
    version: { versionTag: String(c.version) },
    ...stamps(c.createdAt, c.lastModifiedAt),
  };
}

export function creativeView(world: LinkedInWorld, c: CreativeRecord) {
  const { isServing, holdReasons } = world.servingOf(c);
  const review = world.reviewOf(c);
  return {
    id: urn.creative(c.id),
    account: urn.account(c.accountId),
    campaign: urn.campaign(c.campaignId),
    name: c.name,
    content: c.content,
    intendedStatus: c.intendedStatus,
    isServing,
    ...(isServing ? {} : { servingHoldReasons: holdReasons }),
    ...(review ? { review } : {}),
    ...(c.leadFormId !== undefined ? { leadgenCallToAction: { destination: urn.adForm(c.leadFormId), label: 'SIGN_UP' } } : {}),
    isTest: false,
    createdAt: c.createdAt,
    createdBy: c.createdBy,
    lastModifiedAt: c.lastModifiedAt,
    lastModifiedBy: c.lastModifiedBy,
  };
}

function postContent(p: PostRecord) {
  switch (p.media) {
    case 'image':
      return { media: { id: `urn:li:image:C4E10AQ${p.urn.slice(-8)}` } };
    case 'video':
      return { media: { id: `urn:li:video:C5F10AQ${p.urn.slice(-8)}`, title: p.commentary } };
    case 'document':
      return { media: { id: `urn:li:document:D4D10AQ${p.urn.slice(-8)}`, title: 'Guide.pdf' } };
    case 'article':
      return { article: { source: p.articleSource, title: p.commentary } };
    case 'carousel':
      return {
        carousel: {
          cards: (p.carouselCards ?? []).map((card, i) => ({
            media: { id: `urn:li:image:C4E10AQcard${i}${p.urn.slice(-6)}` },
            landingPage: card.landingPage,
          })),
        },
      };
  }
}

export function postView(p: PostRecord) {
  return {
    id: p.urn,
    author: p.author,
    commentary: p.shortLink ? `${p.commentary} ${p.shortLink}` : p.commentary,
    visibility: 'PUBLIC',
    lifecycleState: 'PUBLISHED',
    distribution: { feedDistribution: 'NONE', thirdPartyDistributionChannels: [] },
    content: postContent(p),
    ...(p.contentLandingPage ? { contentLandingPage: p.contentLandingPage } : {}),
    ...(p.callToActionLabel ? { contentCallToActionLabel: p.callToActionLabel } : {}),
    adContext: { dscAdAccount: urn.account(p.accountId), isDsc: true, dscAdType: p.media === 'video' ? 'VIDEO' : 'STANDARD', dscStatus: 'ACTIVE' },
    isReshareDisabledByAuthor: false,
    createdAt: p.createdAt,
    publishedAt: p.createdAt,
    lastModifiedAt: p.lastModifiedAt,
  };
}

export function leadFormView(f: LeadFormRecord) {
  return {
    id: f.id,
    name: f.name,
    state: f.state,
    versionId: f.versionId,
    owner: f.owner,
    creationLocale: { country: 'US', language: 'en' },
    hiddenFields: [{ name: 'source', value: 'linkedin' }],
    content: {
      questions: f.questions.map((q) => ({
        questionId: q.questionId,
        name: q.name,
        ...(q.predefinedField ? { predefinedField: q.predefinedField } : {}),
        question: { localized: { en_US: q.label } },
        responseRequired: q.predefinedField === 'EMAIL',
        questionDetails: q.options
          ? { multipleChoiceQuestionDetails: { options: q.options.map((o) => ({ id: o.id, text: { localized: { en_US: o.text } } })) } }
          : { textQuestionDetails: {} },
      })),
      legalInfo: { consents: [{ consentId: 1 }] },
    },
    created: f.createdAt,
  };
}

export function leadResponseView(r: LeadResponseRecord) {
  return {
    id: r.id,
    submittedAt: r.submittedAt,
    leadType: r.leadType,
    testLead: r.testLead,
    owner: r.owner,
    submitter: r.submitter,
    versionedLeadGenFormUrn: urn.versionedForm(r.formId, r.formVersion),
    ...(r.creativeId !== undefined ? { associatedEntity: { associatedCreative: urn.creative(r.creativeId) } } : {}),
    ...(r.campaignId !== undefined ? { leadMetadata: { sponsoredLeadMetadata: { campaign: urn.campaign(r.campaignId) } } } : {}),
    formResponse: {
      answers: r.answers.map((a) => ({
        questionId: a.questionId,
        answerDetails: a.optionIds ? { multipleChoiceAnswer: { options: a.optionIds } } : { textQuestionAnswer: { answer: a.text ?? '' } },
      })),
      consentResponses: [{ consentId: 1, accepted: true }],
    },
  };
}

export function conversionRuleView(r: ConversionRuleRecord) {
  return {
    id: r.id,
    account: urn.account(r.accountId),
    name: r.name,
    type: r.type,
    enabled: r.enabled,
    conversionMethod: 'CONVERSIONS_API',
    attributionType: r.attributionType,
    postClickAttributionWindowSize: r.postClickAttributionWindowSize,
    viewThroughAttributionWindowSize: r.viewThroughAttributionWindowSize,
    campaigns: r.campaignIds.map((id) => urn.campaign(id)),
    associatedCampaigns: r.campaignIds.map((id) => ({ campaign: urn.campaign(id), conversion: urn.conversion(r.id) })),
    created: r.createdAt,
    lastModified: r.lastModifiedAt,
  };
}
