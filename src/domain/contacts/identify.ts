/**
 * Which contact a form submission belongs to (VIS-2…VIS-5, VIS-7), as one explainable decision.
 *
 * 1. Email first: a contact with the submitted email (imported ones included) is the visitor (VIS-2).
 *    This is also why a visitor who cleared cookies still lands in one contact (VIS-3).
 * 2. Otherwise the browser: if the visitor cookie already identifies a contact, that contact is
 *    updated with the new email — two people sharing a browser end up in one contact (VIS-4) —
 *    unless the form says "always create a new contact for a new email" (VIS-5).
 * 3. Otherwise a new contact.
 * A cookie with only a temporary identity (a forwarded-email click, VIS-7) never matches.
 */
import { normaliseEmail, sameEmail } from './email';
import type { CookieIdentity } from './cookie-identity';

export interface FormSubmissionInput {
  email: string;
  /** The visitor token (cookie value) sent with the submission, if the browser had one. */
  visitorToken?: string;
  formOptions: { alwaysCreateNewContact: boolean };
}

export interface IdentifyContactInput {
  submission: FormSubmissionInput;
  /** The contact whose email equals the normalised submitted email (incl. imported contacts). */
  contactByEmail?: { id: string };
  /** The contact the submission's visitor token currently identifies. */
  contactByToken?: { id: string; email?: string | null };
  /**
   * How the token got its identity (VIS-7). When given it is authoritative: `anonymous` and
   * `temporary` mean the cookie identifies nobody, whatever `contactByToken` says.
   */
  tokenIdentity?: CookieIdentity;
}

export type IdentificationRule = 'email_match' | 'cookie_match' | 'new_email_new_contact' | 'new_contact';

export interface IdentificationDecision {
  action: 'use_existing' | 'create' | 'update_cookie_contact';
  /** Set for use_existing and update_cookie_contact. */
  contactId?: string;
  rule: IdentificationRule;
  /** Which rule matched and why, in words an admin understands (stored on the contact). */
  explanation: string;
  /** The normalised email the submission carried (null only for leads without an email). */
  email: string | null;
  /**
   * update_cookie_contact: the email the cookie's contact had before. The caller keeps it as an
   * additional email of the contact, so both addresses keep matching the one contact (VIS-4).
   */
  previousEmail?: string;
  /** The visitor token must now identify the resulting contact (the latest submission decides, VIS-2). */
  tieTokenToContact: boolean;
  /**
   * The token's earlier page views not yet tied to any contact (anonymous ones, or ones from a
   * temporary identity) are tied to the resulting contact (VIS-2).
   */
  tieEarlierPageViews: boolean;
}

interface CookieContact {
  id: string;
  email?: string | null;
}

type CookieState = { kind: 'none' } | { kind: 'unknown' } | { kind: 'temporary' } | { kind: 'contact'; contact: CookieContact };

function cookieStateOf(input: IdentifyContactInput): CookieState {
  const token = input.submission.visitorToken;
  if (token === undefined || token === '') return { kind: 'none' };
  const identity = input.tokenIdentity;
  const byToken = input.contactByToken;
  if (identity === undefined) return byToken === undefined ? { kind: 'unknown' } : { kind: 'contact', contact: byToken };
  if (identity.kind === 'temporary') return { kind: 'temporary' };
  if (identity.kind === 'anonymous') return { kind: 'unknown' };
  const contact = byToken?.id === identity.contactId ? byToken : { id: identity.contactId };
  return { kind: 'contact', contact };
}

export function identifyContact(input: IdentifyContactInput): IdentificationDecision {
  const email = normaliseEmail(input.submission.email);
  if (email === null) throw new RangeError('identifyContact needs a valid email; validate the submission first');
  const cookie = cookieStateOf(input);
  const hasToken = cookie.kind !== 'none';
  const tokenNote = hasToken ? ' This browser is now tied to the contact, with its earlier anonymous page views.' : '';

  if (input.contactByEmail !== undefined) {
    return {
      action: 'use_existing',
      contactId: input.contactByEmail.id,
      rule: 'email_match',
      explanation: `Matched by email: the submitted email already belongs to this contact (imported contacts included).${tokenNote}`,
      email,
      tieTokenToContact: hasToken,
      tieEarlierPageViews: hasToken,
    };
  }

  if (cookie.kind === 'contact') {
    const contact = cookie.contact;
    if (sameEmail(contact.email ?? undefined, email)) {
      return {
        action: 'use_existing',
        contactId: contact.id,
        rule: 'email_match',
        explanation: 'Matched by email: the contact this browser belongs to already has the submitted email.',
        email,
        tieTokenToContact: true,
        tieEarlierPageViews: true,
      };
    }
    if (input.submission.formOptions.alwaysCreateNewContact) {
      return {
        action: 'create',
        rule: 'new_email_new_contact',
        explanation:
          'New contact: no contact has the submitted email, and this form always creates a new contact for a new email, ' +
          'even from a browser that already belongs to another contact (e.g. a shared device at an event). ' +
          'Page views from before this submission stay with the earlier contact.',
        email,
        tieTokenToContact: true,
        tieEarlierPageViews: false,
      };
    }
    const previousEmail = normaliseEmail(contact.email);
    return {
      action: 'update_cookie_contact',
      contactId: contact.id,
      rule: 'cookie_match',
      explanation:
        'Matched by browser cookie: no contact has the submitted email, but this browser already belongs to this contact, ' +
        'so the contact was updated with the new email. People sharing a browser end up in one contact.',
      email,
      ...(previousEmail === null ? {} : { previousEmail }),
      tieTokenToContact: true,
      tieEarlierPageViews: true,
    };
  }

  const why =
    cookie.kind === 'none'
      ? 'No visitor cookie came with the submission, so no earlier page views can be tied to the contact.'
      : cookie.kind === 'temporary'
        ? 'This browser only had a temporary identity from a forwarded tracked-email click, which never identifies a contact; ' +
          'this submission identifies the browser as the new contact, with its earlier page views.'
        : 'This browser did not belong to any contact yet; its earlier anonymous page views are tied to the new contact.';
  return {
    action: 'create',
    rule: 'new_contact',
    explanation: `New contact: no contact has the submitted email. ${why}`,
    email,
    tieTokenToContact: hasToken,
    tieEarlierPageViews: hasToken,
  };
}
