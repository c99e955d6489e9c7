/**
 * A form submission on the customer's site → the contact it belongs to (VIS-2…VIS-5, VIS-7), the
 * browser tied to that contact, attribution recomputed (ATT-1/ATT-2). Idempotent: the submission id
 * is derived from the form and the client's submission id, so a retried request changes nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import { applyFormSubmission, identifyContact, mapLeadFields, normaliseEmail, type IdentificationRule } from '../domain/contacts';
import { facebookBrowserIds } from '../domain/conversions';
import { isWithinSession, normalisePageUrl } from '../domain/visitors';
import type { Models } from '../db/models';
import { contactDefaults, type ContactDoc } from '../db/models/contact';
import type { CrmActivityDoc } from '../db/models/crm-activity';
import type { FormDoc } from '../db/models/form';
import type { FormSubmissionDoc } from '../db/models/form-submission';
import type { WebSessionDoc } from '../db/models/web-session';
import { refreshContactAttribution, type AttributionModels } from '../contacts/attribution';
import { formSubmissionActivity, lifecycleActivity, recordCrmActivities, type CrmActivityModels } from '../contacts/crm-activity';
import { claimEmail, contactFieldsOf, contactIdByEmail, identificationEntry, initialStage, isDuplicateKeyError, newContactId, upsertContact } from '../contacts/repository';
import { TrackingInputError } from './page-views';
import { identityDoc, identityOf, loadOrCreateVisitor, recordSessionActivity } from './sessions';

export class FormNotFoundError extends Error {}

export interface SubmissionInput {
  formId: string;
  email: string;
  fields: Record<string, string>;
  pageUrl?: string | undefined;
  visitorToken?: string | undefined;
  /** The client's id for this submit (the tracking script sends one); retries reuse it. */
  submissionId?: string | undefined;
  userAgent: string | null;
  ip: string | null;
  /** The Meta pixel's `_fbc` / `_fbp` cookies on the customer's site, when it runs there. */
  fbc?: string | undefined;
  fbp?: string | undefined;
  at: Date;
}

export interface SubmissionResult {
  submissionId: string;
  contactId: string;
  /** False when this submission id was stored before (a retry): nothing changed. */
  stored: boolean;
  rule: IdentificationRule;
  explanation: string;
  contactCreated: boolean;
  pageUrl: string | null;
  at: Date;
  /** CRM activity this call recorded (the submission; a new contact's stage), to deliver now. */
  activityIds: string[];
}

export type SubmissionModels = AttributionModels & CrmActivityModels & Pick<Models, 'Form' | 'Visitor' | 'ContactEmail'>;

export function submissionIdOf(formId: string, clientSubmissionId: string | undefined): string {
  return createHash('sha256')
    .update(`${formId}|${clientSubmissionId ?? randomUUID()}`)
    .digest('hex')
    .slice(0, 32);
}

/** The traffic source of the visitor's first session: the contact's original source. */
async function originalSource(models: SubmissionModels, visitorToken: string | undefined): Promise<string> {
  if (visitorToken === undefined) return 'offline_sources';
  const first = await models.WebSession.findOne({ visitorToken }, { trafficSource: 1 }).sort({ startedAt: 1 }).lean<Pick<WebSessionDoc, 'trafficSource'>>();
  return first?.trafficSource ?? 'direct_traffic';
}

export async function submitForm(models: SubmissionModels, input: SubmissionInput): Promise<SubmissionResult> {
  const form = await models.Form.findById(input.formId).lean<FormDoc>();
  if (!form) throw new FormNotFoundError(`form ${input.formId}`);
  const email = normaliseEmail(input.email);
  if (email === null) throw new TrackingInputError('email', 'The email address is not valid.');
  const page = input.pageUrl === undefined ? undefined : normalisePageUrl(input.pageUrl);
  if (page !== undefined && !page.ok) throw new TrackingInputError('pageUrl', `The page URL is not usable (${page.reason}).`);
  const pageUrl = page?.ok ? page.url : null;

  const submissionId = submissionIdOf(form._id, input.submissionId);
  const previous = await models.FormSubmission.findById(submissionId).lean<FormSubmissionDoc>();
  if (previous) return resultOf(previous, false, false);

  // The browser: its session (the submission is activity in it) and who its cookie stands for.
  const token = input.visitorToken;
  let visitor = token === undefined ? undefined : await loadOrCreateVisitor(models, token, input.at);
  let sessionId: string | null = null;
  if (visitor !== undefined && input.pageUrl !== undefined && pageUrl !== null) {
    const activity = await recordSessionActivity(models, visitor, { at: input.at, rawUrl: input.pageUrl, url: pageUrl, referrer: null, pageView: false });
    sessionId = activity.sessionId;
    visitor = activity.visitor;
  } else if (visitor?.session && isWithinSession(new Date(visitor.session.lastActivityAt).toISOString(), input.at.toISOString())) {
    sessionId = visitor.session.id;
  }
  const identity = identityOf(visitor);
  const browserIds = facebookBrowserIds({ storedFbc: visitor?.fbc, cookieFbc: input.fbc, cookieFbp: input.fbp, atMs: input.at.getTime() });
  const fbc = browserIds.fbc ?? null;
  const fbp = browserIds.fbp ?? null;

  const byEmail = await contactIdByEmail(models, email);
  const tokenContactId = identity.kind === 'identified' ? identity.contactId : undefined;
  const byToken = tokenContactId === undefined ? null : await models.Contact.findById(tokenContactId, { email: 1 }).lean<Pick<ContactDoc, '_id' | 'email'>>();
  const decision = identifyContact({
    submission: { email, ...(token !== undefined ? { visitorToken: token } : {}), formOptions: { alwaysCreateNewContact: form.alwaysCreateNewContact } },
    ...(byEmail !== undefined ? { contactByEmail: { id: byEmail } } : {}),
    ...(byToken ? { contactByToken: { id: byToken._id, email: byToken.email } } : {}),
    ...(token !== undefined ? { tokenIdentity: identity } : {}),
  });

  let { rule, explanation } = decision;
  let contactId: string;
  let contactCreated = false;
  let setPrimaryEmail = false;
  const raced = (owner: string) => {
    // Another request claimed the email between our lookup and our claim: it is that contact now.
    contactId = owner;
    rule = 'email_match';
    explanation = 'Matched by email: the submitted email already belongs to this contact (it was created by a concurrent submission).';
  };
  if (decision.action === 'create') {
    const id = newContactId();
    const owner = await claimEmail(models, email, id);
    contactId = id;
    if (owner === id) {
      contactCreated = true;
      setPrimaryEmail = true;
    } else raced(owner);
  } else if (decision.action === 'update_cookie_contact') {
    contactId = decision.contactId!;
    const owner = await claimEmail(models, email, contactId);
    if (owner === contactId) setPrimaryEmail = true;
    else raced(owner);
  } else {
    contactId = decision.contactId!;
  }

  const mapped = mapLeadFields({ ...input.fields, email });
  const set: Record<string, unknown> = {
    ...contactFieldsOf(mapped),
    lastSubmission: { formId: form._id, submissionId, at: input.at, pageUrl, userAgent: input.userAgent, ip: input.ip, fbc, fbp },
    ...(setPrimaryEmail ? { email } : {}),
  };
  // Recorded before the writes they describe: a crash in between leaves a record that is never
  // delivered (its submission is missing), never a submission without its record.
  const activities: CrmActivityDoc[] = [formSubmissionActivity(contactId!, form._id, submissionId, input.at)];
  if (contactCreated) activities.push(lifecycleActivity(contactId!, 'lead', input.at, 'form'));
  await recordCrmActivities(models, activities);
  // Always an upsert: an email whose contact write was lost (a crash after the claim) is repaired here.
  await upsertContact(models, contactId!, {
    set,
    addToSet: { emails: email, ...(token !== undefined && decision.tieTokenToContact ? { visitorTokens: token } : {}) },
    identification: identificationEntry({ at: input.at, rule, explanation, via: 'form', ref: submissionId }),
    defaults: { ...contactDefaults(await originalSource(models, token)), ...initialStage('lead', input.at), email },
  });

  const submission: FormSubmissionDoc = {
    _id: submissionId,
    formId: form._id,
    contactId: contactId!,
    visitorToken: token ?? null,
    sessionId,
    email,
    fields: input.fields,
    pageUrl,
    userAgent: input.userAgent,
    ip: input.ip,
    fbc,
    fbp,
    at: input.at,
    rule,
    explanation,
  };
  try {
    await models.FormSubmission.create(submission);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const stored = await models.FormSubmission.findById(submissionId).lean<FormSubmissionDoc>();
    if (stored) return resultOf(stored, false, false);
  }

  // The latest submission decides who the browser is (VIS-2); earlier anonymous views follow it.
  if (token !== undefined && decision.tieTokenToContact) {
    const tied = applyFormSubmission(identity, contactId!, input.at.toISOString());
    await models.Visitor.updateOne({ _id: token }, { $set: { identity: identityDoc(tied) } });
    if (decision.tieEarlierPageViews) {
      await models.PageView.updateMany({ visitorToken: token, contactId: null }, { $set: { contactId: contactId! } });
      // The submission's session is one of this visitor's: tied here with the others.
      await models.WebSession.updateMany({ visitorToken: token, contactId: null }, { $set: { contactId: contactId! } });
    } else if (sessionId !== null) await models.WebSession.updateOne({ _id: sessionId, contactId: null }, { $set: { contactId: contactId! } });
  }

  await refreshContactAttribution(models, contactId!, input.at);
  return resultOf(submission, true, contactCreated, activities.map((a) => a._id));
}

function resultOf(submission: FormSubmissionDoc, stored: boolean, contactCreated: boolean, activityIds: string[] = []): SubmissionResult {
  return {
    submissionId: submission._id,
    contactId: submission.contactId,
    stored,
    rule: submission.rule as IdentificationRule,
    explanation: submission.explanation,
    contactCreated,
    pageUrl: submission.pageUrl,
    at: submission.at,
    activityIds,
  };
}
