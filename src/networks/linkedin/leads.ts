import { isNetworkError, NetworkError } from '../errors';
import type { LeadForm, ListLeadsOptions, NetworkLead, Page } from '../types';
import type { CollectionResponse, RestliTransport } from './http';
import { buildQuery, idOf, Rec, urns } from './restli';

type Owner = { sponsoredAccount: string } | { organization: string };

interface FormWire {
  id: number;
  name: string;
  state: string;
  owner: Owner;
  content?: {
    questions?: {
      questionId: number;
      name?: string;
      predefinedField?: string;
      questionDetails?: { multipleChoiceQuestionDetails?: { options?: { id?: number; text?: unknown }[] } };
    }[];
  };
}

interface ResponseWire {
  id: string;
  submittedAt: number;
  leadType: string;
  versionedLeadGenFormUrn?: string;
  associatedEntity?: { associatedCreative?: string };
  leadMetadata?: { sponsoredLeadMetadata?: { campaign?: string } };
  formResponse?: {
    answers?: { questionId: number; answerDetails?: { textQuestionAnswer?: { answer?: string }; multipleChoiceAnswer?: { options?: number[] } } }[];
  };
}

const FORMS_PAGE = 100;
const LEADS_PAGE_MAX = 100;
/** Pages with no lead of the asked form are skipped, up to this many per call. */
const MAX_PAGES_PER_CALL = 10;

const ownerParam = (owner: Owner) => Rec('sponsoredAccount' in owner ? { sponsoredAccount: owner.sponsoredAccount } : { organization: owner.organization });

async function formsOf(api: RestliTransport, accessToken: string, owner: Owner): Promise<FormWire[]> {
  const forms: FormWire[] = [];
  for (let start = 0; ; start += FORMS_PAGE) {
    const page = await api.get<CollectionResponse<FormWire>>(accessToken, '/leadForms', buildQuery({ q: 'owner', owner: ownerParam(owner), start, count: FORMS_PAGE }));
    forms.push(...(page.elements ?? []));
    const total = page.paging?.total;
    if ((page.elements ?? []).length < FORMS_PAGE || (total !== undefined && start + FORMS_PAGE >= total)) return forms;
  }
}

/**
 * §3.1: the account's own forms, plus the forms of its company Page (organic leads, LEAD-3).
 * unconfirmed: `owner=(organization:...)` on /leadForms; a member without a Page role gets 403,
 * which only means there are no organic forms to sync.
 */
export async function listLeadForms(api: RestliTransport, accessToken: string, accountId: string): Promise<LeadForm[]> {
  const forms = await formsOf(api, accessToken, { sponsoredAccount: urns.account(accountId) });
  const account = await api.get<{ reference?: string }>(accessToken, `/adAccounts/${accountId}`);
  if (account.reference?.startsWith('urn:li:organization:')) {
    try {
      forms.push(...(await formsOf(api, accessToken, { organization: account.reference })));
    } catch (error) {
      if (!(isNetworkError(error) && error.kind === 'permission')) throw error;
    }
  }
  return forms.map((f) => ({ formId: String(f.id), name: f.name, status: f.state }));
}

function optionText(text: unknown): string {
  if (typeof text === 'string') return text;
  const localized = (text as { localized?: Record<string, unknown> } | undefined)?.localized;
  const first = localized ? Object.values(localized)[0] : undefined;
  return typeof first === 'string' ? first : '';
}

function toLead(form: FormWire, response: ResponseWire): NetworkLead {
  const questions = new Map((form.content?.questions ?? []).map((q) => [q.questionId, q]));
  const fields: Record<string, string> = {};
  for (const answer of response.formResponse?.answers ?? []) {
    const question = questions.get(answer.questionId);
    const name = question?.name ?? question?.predefinedField?.toLowerCase() ?? `question_${answer.questionId}`;
    const details = answer.answerDetails;
    if (details?.textQuestionAnswer) fields[name] = details.textQuestionAnswer.answer ?? '';
    else if (details?.multipleChoiceAnswer) {
      const options = question?.questionDetails?.multipleChoiceQuestionDetails?.options ?? [];
      fields[name] = (details.multipleChoiceAnswer.options ?? []).map((id) => optionText(options.find((o) => o.id === id)?.text) || String(id)).join(', ');
    }
  }
  const adId = idOf(response.associatedEntity?.associatedCreative);
  const campaignId = idOf(response.leadMetadata?.sponsoredLeadMetadata?.campaign);
  return {
    network: 'linkedin',
    leadId: response.id,
    formId: String(form.id),
    ...(adId ? { adId } : {}),
    // LinkedIn has no ad-group level; the campaign stands in for it (see AdRecord).
    ...(campaignId ? { campaignId, adGroupId: campaignId } : {}),
    createdTime: new Date(response.submittedAt).toISOString(),
    isOrganic: response.leadType !== 'SPONSORED',
    fields,
  };
}

/**
 * §3.2 lead form responses of one form. The finder filters by owner, lead type and time; the form
 * is matched here on `versionedLeadGenFormUrn`. Page-owned forms give organic (COMPANY) leads.
 * The cursor is the `start` offset; responses are paged with start/count.
 */
export async function listLeads(api: RestliTransport, accessToken: string, accountId: string, options: ListLeadsOptions): Promise<Page<NetworkLead>> {
  if (!/^\d+$/.test(options.formId)) throw new NetworkError('linkedin', { kind: 'invalid', code: 'INVALID_FORM_ID', message: `Not a LinkedIn lead form id: ${options.formId}` });
  const form = await api.get<FormWire>(accessToken, `/leadForms/${options.formId}`);
  if ('sponsoredAccount' in form.owner && form.owner.sponsoredAccount !== urns.account(accountId)) {
    throw new NetworkError('linkedin', { kind: 'invalid', code: 'FORM_OF_OTHER_ACCOUNT', message: `Lead form ${options.formId} does not belong to ad account ${accountId}` });
  }
  const leadType = 'sponsoredAccount' in form.owner ? 'SPONSORED' : 'COMPANY';
  const count = Math.min(Math.max(options.pageSize ?? LEADS_PAGE_MAX, 1), LEADS_PAGE_MAX);
  const formMarker = `urn:li:leadGenForm:${options.formId},`;
  let start = options.cursor ? Number(options.cursor) : 0;
  if (!Number.isInteger(start) || start < 0) throw new NetworkError('linkedin', { kind: 'invalid', code: 'INVALID_CURSOR', message: 'Invalid lead cursor' });

  for (let round = 0; round < MAX_PAGES_PER_CALL; round += 1) {
    const query = buildQuery({
      q: 'owner',
      owner: ownerParam(form.owner),
      leadType: Rec({ leadType }),
      limitedToTestLeads: false,
      // unconfirmed: an open-ended range (start only); the reference example also sends `end`.
      submittedAtTimeRange: options.since ? Rec({ start: Date.parse(options.since) }) : undefined,
      start,
      count,
    });
    const page = await api.get<CollectionResponse<ResponseWire>>(accessToken, '/leadFormResponses', query);
    const elements = page.elements ?? [];
    const items = elements.filter((r) => r.versionedLeadGenFormUrn?.includes(formMarker)).map((r) => toLead(form, r));
    start += elements.length;
    const total = page.paging?.total;
    const more = elements.length === count && (total === undefined || start < total);
    if (items.length > 0 || !more) return { items, ...(more ? { nextCursor: String(start) } : {}) };
  }
  return { items: [], nextCursor: String(start) };
}
