import type {
  AccountRecord,
  AdKind,
  CampaignFormat,
  CampaignGroupRecord,
  CampaignRecord,
  CampaignType,
  CreativeRecord,
  LeadFormRecord,
  LinkedInWorld,
  PostMedia,
} from './state';
import type { TrackingParameter } from './url-tracking';

/** Builders shared by the seed and the advertiser control routes. */

const DAY_MS = 86_400_000;

interface KindSpec {
  type: CampaignType;
  format: CampaignFormat;
  objectiveType: string;
  label: string;
}

export const KIND_SPECS: Record<AdKind, KindSpec> = {
  single_image: { type: 'SPONSORED_UPDATES', format: 'STANDARD_UPDATE', objectiveType: 'WEBSITE_VISIT', label: 'Single image' },
  video: { type: 'SPONSORED_UPDATES', format: 'SINGLE_VIDEO', objectiveType: 'VIDEO_VIEW', label: 'Video' },
  carousel: { type: 'SPONSORED_UPDATES', format: 'CAROUSEL', objectiveType: 'WEBSITE_VISIT', label: 'Carousel' },
  document: { type: 'SPONSORED_UPDATES', format: 'STANDARD_UPDATE', objectiveType: 'ENGAGEMENT', label: 'Document' },
  lead_gen: { type: 'SPONSORED_UPDATES', format: 'STANDARD_UPDATE', objectiveType: 'LEAD_GENERATION', label: 'Lead gen' },
  message: { type: 'SPONSORED_INMAILS', format: 'SPONSORED_INMAIL', objectiveType: 'WEBSITE_VISIT', label: 'Message ad' },
  conversation: { type: 'SPONSORED_INMAILS', format: 'SPONSORED_MESSAGE', objectiveType: 'WEBSITE_VISIT', label: 'Conversation ad' },
  text: { type: 'TEXT_AD', format: 'TEXT_AD', objectiveType: 'WEBSITE_VISIT', label: 'Text ad' },
};

/** Review/delivery situations an ad can be put in; mapped onto intendedStatus + review. */
export const AD_STATES = ['serving', 'under_review', 'paused', 'rejected', 'draft', 'archived'] as const;
export type AdState = (typeof AD_STATES)[number];

export function createAccount(world: LinkedInWorld, input: { name: string; currency: string; index: number; firstPartyCookie: boolean }): AccountRecord {
  const now = world.now();
  const account: AccountRecord = {
    id: world.nextId('account', 507404990),
    name: input.name,
    currency: input.currency,
    status: 'ACTIVE',
    type: 'BUSINESS',
    test: false,
    reference: `urn:li:organization:${2414183 + input.index}`,
    firstPartyCookie: input.firstPartyCookie,
    createdAt: now - 400 * DAY_MS,
    lastModifiedAt: now - 30 * DAY_MS,
    version: 1,
  };
  world.accounts.set(account.id, account);
  return account;
}

export function createGroup(world: LinkedInWorld, account: AccountRecord, name: string, backfilled: boolean): CampaignGroupRecord {
  const now = world.now();
  const group: CampaignGroupRecord = {
    id: world.nextId('group', 612734000),
    accountId: account.id,
    name,
    status: 'ACTIVE',
    backfilled,
    runStart: now - 200 * DAY_MS,
    createdAt: now - 200 * DAY_MS,
    lastModifiedAt: now - 100 * DAY_MS,
  };
  world.groups.set(group.id, group);
  return group;
}

export function createCampaign(
  world: LinkedInWorld,
  input: { account: AccountRecord; group: CampaignGroupRecord; kind: AdKind; name: string; status?: CampaignRecord['status']; trackingParameters?: TrackingParameter[]; ageDays?: number },
): CampaignRecord {
  const spec = KIND_SPECS[input.kind];
  const now = world.now();
  const age = input.ageDays ?? 150;
  const campaign: CampaignRecord = {
    id: world.nextId('campaign', 123456000),
    accountId: input.account.id,
    groupId: input.group.id,
    name: input.name,
    status: input.status ?? 'ACTIVE',
    type: spec.type,
    format: spec.format,
    objectiveType: spec.objectiveType,
    costType: spec.type === 'SPONSORED_INMAILS' ? 'CPM' : 'CPC',
    dailyBudget: '50.00',
    unitCost: '6.00',
    trackingParameters: input.trackingParameters ?? [],
    runStart: now - age * DAY_MS,
    createdAt: now - age * DAY_MS,
    lastModifiedAt: now - Math.floor(age / 2) * DAY_MS,
    version: 1,
  };
  world.campaigns.set(campaign.id, campaign);
  return campaign;
}

/** The campaign a new ad of this kind goes into: the latest open one of the same format, or a new one. */
export function campaignForKind(world: LinkedInWorld, account: AccountRecord, kind: AdKind, perCampaign: number): CampaignRecord | undefined {
  const spec = KIND_SPECS[kind];
  const candidates = [...world.campaigns.values()].filter(
    (c) => c.accountId === account.id && c.format === spec.format && c.objectiveType === spec.objectiveType,
  );
  const latest = candidates[candidates.length - 1];
  if (!latest) return undefined;
  const used = [...world.creatives.values()].filter((c) => c.campaignId === latest.id).length;
  return used < perCampaign ? latest : undefined;
}

function postUrn(world: LinkedInWorld, kind: AdKind): string {
  const n = world.nextId('post', 0);
  return `urn:li:${kind === 'video' ? 'ugcPost' : 'share'}:71860000000${String(n).padStart(8, '0')}`;
}

export interface NewAd {
  account: AccountRecord;
  campaign: CampaignRecord;
  kind: AdKind;
  state: AdState;
  /** Destination; null for a lead-gen ad that only opens its form. */
  landingUrl: string | null;
  name?: string;
  leadFormId?: number;
  member: string;
  ageDays?: number;
}

export function createAd(world: LinkedInWorld, input: NewAd): CreativeRecord {
  const now = world.now();
  const id = world.nextId('creative', 172681000);
  const age = input.ageDays ?? 60;
  const createdAt = now - age * DAY_MS;
  const slugLabel = KIND_SPECS[input.kind].label;
  const landing = input.landingUrl ?? undefined;
  let content: CreativeRecord['content'];

  if (input.kind === 'text') {
    content = { textAd: { headline: `Try ${input.account.name}`, description: 'See how teams ship faster.', landingPage: landing ?? '' } };
  } else if (input.kind === 'message' || input.kind === 'conversation') {
    const ref = `urn:li:adInMailContent:${world.nextId('inmail', 7011000)}`;
    world.inMails.set(ref, { urn: ref, accountId: input.account.id, kind: input.kind, subject: `A note from ${input.account.name}`, landingUrl: landing ?? '' });
    content = { reference: ref };
  } else {
    const ref = postUrn(world, input.kind);
    const media: PostMedia =
      input.kind === 'carousel' ? 'carousel' : input.kind === 'video' ? 'video' : input.kind === 'document' ? 'document' : id % 2 === 0 && input.kind === 'single_image' ? 'article' : 'image';
    world.posts.set(ref, {
      urn: ref,
      accountId: input.account.id,
      author: input.account.reference,
      commentary: `${slugLabel} from ${input.account.name}`,
      media,
      ...(media === 'article' ? { articleSource: landing } : media === 'carousel' ? {} : landing ? { contentLandingPage: landing } : {}),
      ...(media === 'carousel' && landing
        ? { carouselCards: [landing, `${landing.split(/[?#]/)[0] ?? landing}-2`, `${landing.split(/[?#]/)[0] ?? landing}-3`].map((landingPage) => ({ landingPage })) }
        : {}),
      ...(input.kind === 'lead_gen' ? {} : { callToActionLabel: 'LEARN_MORE' }),
      ...(id % 5 === 0 ? { shortLink: `https://lnkd.in/${id.toString(36)}` } : {}),
      createdAt,
      lastModifiedAt: createdAt,
    });
    content = { reference: ref };
  }

  const creative: CreativeRecord = {
    id,
    accountId: input.account.id,
    campaignId: input.campaign.id,
    name: input.name ?? `${slugLabel} ${id}`,
    kind: input.kind,
    content,
    intendedStatus: 'ACTIVE',
    review: { status: 'APPROVED' },
    ...(input.leadFormId !== undefined ? { leadFormId: input.leadFormId } : {}),
    createdAt,
    createdBy: input.member,
    lastModifiedAt: createdAt + DAY_MS,
    lastModifiedBy: input.member,
  };
  applyState(world, creative, input.state);
  world.creatives.set(id, creative);
  return creative;
}

/** Puts a creative into one of the AD_STATES the way Campaign Manager would leave it. */
export function applyState(world: LinkedInWorld, creative: CreativeRecord, state: AdState): void {
  const now = world.now();
  switch (state) {
    case 'serving':
      creative.intendedStatus = 'ACTIVE';
      creative.review = { status: 'APPROVED' };
      break;
    case 'under_review':
      creative.intendedStatus = 'ACTIVE';
      world.startReview(creative);
      creative.lastModifiedAt = now - 3_600_000;
      break;
    case 'paused':
      creative.intendedStatus = 'PAUSED';
      creative.review = { status: 'APPROVED' };
      break;
    case 'rejected':
      creative.intendedStatus = 'ACTIVE';
      creative.review = { status: 'REJECTED', rejectionReasons: ['LANDING_PAGE_NOT_WORKING'] };
      break;
    case 'draft':
      creative.intendedStatus = 'DRAFT';
      creative.review = null;
      break;
    case 'archived':
      creative.intendedStatus = 'ARCHIVED';
      creative.review = { status: 'APPROVED' };
      break;
  }
}

export function createLeadForm(
  world: LinkedInWorld,
  account: AccountRecord,
  input: { name: string; organic: boolean },
): LeadFormRecord {
  const form: LeadFormRecord = {
    id: world.nextId('leadForm', 1234560),
    accountId: account.id,
    owner: input.organic ? { organization: account.reference } : { sponsoredAccount: `urn:li:sponsoredAccount:${account.id}` },
    name: input.name,
    state: 'PUBLISHED',
    versionId: 2,
    questions: [
      { questionId: 1, name: 'firstName', predefinedField: 'FIRST_NAME', label: 'First name' },
      { questionId: 2, name: 'lastName', predefinedField: 'LAST_NAME', label: 'Last name' },
      { questionId: 3, name: 'email', predefinedField: 'EMAIL', label: 'Email' },
      { questionId: 4, name: 'companyName', predefinedField: 'COMPANY_NAME', label: 'Company' },
      { questionId: 5, name: 'jobTitle', predefinedField: 'JOB_TITLE', label: 'Job title' },
      {
        questionId: 6,
        name: 'budget',
        label: 'Budget?',
        options: [
          { id: 1, text: 'Under $10k' },
          { id: 2, text: '$10k-$50k' },
          { id: 3, text: 'Over $50k' },
        ],
      },
    ],
    createdAt: world.now() - 90 * DAY_MS,
  };
  world.leadForms.set(form.id, form);
  return form;
}
