/**
 * VIS-7: who a browser cookie stands for, and how tracked-email clicks change that.
 *
 * A click on a link in a tracked marketing email carries the recipient. The recipient's link
 * identifies a cookie only ONCE: the first click ties the (still anonymous) cookie to the recipient.
 * Every later click on that recipient's links — typically from a forwarded email, in someone else's
 * browser — gives the cookie only a temporary identity: it remembers who the click claimed to be but
 * does not tie page views or form submissions to that contact. A form submission then identifies
 * the browser for real.
 *
 * An already identified cookie is never re-assigned by an email click: a form submission or the
 * first click is stronger evidence than a link that may have been forwarded.
 */

export type CookieIdentity =
  | { kind: 'anonymous' }
  | { kind: 'identified'; contactId: string; via: 'form' | 'email_click'; at: string }
  /** A forwarded-email click: `claimedContactId` is the recipient the link belonged to, unconfirmed. */
  | { kind: 'temporary'; claimedContactId: string; at: string };

export const ANONYMOUS: CookieIdentity = Object.freeze({ kind: 'anonymous' });

export interface TrackedEmailClick {
  /** The contact the tracked email was sent to. */
  recipientContactId: string;
  /** Whether a click on this recipient's tracked links already identified a cookie (kept by the caller). */
  recipientLinkAlreadyUsed: boolean;
  /** ISO time of the click. */
  at: string;
}

export interface EmailClickOutcome {
  identity: CookieIdentity;
  effect: 'identified' | 'temporary' | 'unchanged';
  /** The caller records that this recipient's link has now identified a cookie. */
  markRecipientLinkUsed: boolean;
  explanation: string;
}

export function applyTrackedEmailClick(current: CookieIdentity, click: TrackedEmailClick): EmailClickOutcome {
  if (current.kind === 'identified') {
    const same = current.contactId === click.recipientContactId;
    return {
      identity: current,
      effect: 'unchanged',
      markRecipientLinkUsed: false,
      explanation: same
        ? 'The browser is already identified as the email recipient.'
        : `The browser is already identified as contact ${current.contactId} (by ${current.via === 'form' ? 'a form submission' : 'an earlier email click'}); an email link does not re-assign it.`,
    };
  }
  if (!click.recipientLinkAlreadyUsed) {
    return {
      identity: { kind: 'identified', contactId: click.recipientContactId, via: 'email_click', at: click.at },
      effect: 'identified',
      markRecipientLinkUsed: true,
      explanation: 'First click on this recipient\'s tracked email: the browser is identified as the recipient (this happens only once).',
    };
  }
  return {
    identity: { kind: 'temporary', claimedContactId: click.recipientContactId, at: click.at },
    effect: 'temporary',
    markRecipientLinkUsed: false,
    explanation:
      'This recipient\'s email link already identified a browser, so this click (e.g. a forwarded email) only gives the ' +
      'browser a temporary identity until a form is submitted.',
  };
}

/** A form submission identifies the browser as the contact it resolved to (VIS-2, VIS-7). */
export function applyFormSubmission(_current: CookieIdentity, contactId: string, at: string): CookieIdentity {
  return { kind: 'identified', contactId, via: 'form', at };
}

/**
 * The contact a page view of this cookie is logged for right away; null while anonymous or only
 * temporarily identified (those page views are tied later, by a form submission, VIS-2).
 */
export function pageViewOwner(identity: CookieIdentity): string | null {
  return identity.kind === 'identified' ? identity.contactId : null;
}
