import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS,
  applyFormSubmission,
  applyTrackedEmailClick,
  identifyContact,
  pageViewOwner,
  type CookieIdentity,
} from '../../src/domain/contacts';

const T = (minute: number) => `2026-03-10T10:${String(minute).padStart(2, '0')}:00.000Z`;

describe('VIS-7 tracked email clicks identify a cookie only once', () => {
  it('VIS-7 the first click on a recipient\'s tracked email identifies an anonymous cookie as the recipient', () => {
    const outcome = applyTrackedEmailClick(ANONYMOUS, { recipientContactId: 'alice', recipientLinkAlreadyUsed: false, at: T(0) });
    expect(outcome).toMatchObject({
      effect: 'identified',
      markRecipientLinkUsed: true,
      identity: { kind: 'identified', contactId: 'alice', via: 'email_click', at: T(0) },
    });
    expect(pageViewOwner(outcome.identity)).toBe('alice');
  });

  it('VIS-7 a later click on the same recipient\'s email (forwarded) gives another browser only a temporary identity', () => {
    const outcome = applyTrackedEmailClick(ANONYMOUS, { recipientContactId: 'alice', recipientLinkAlreadyUsed: true, at: T(5) });
    expect(outcome).toMatchObject({
      effect: 'temporary',
      markRecipientLinkUsed: false,
      identity: { kind: 'temporary', claimedContactId: 'alice', at: T(5) },
    });
    expect(outcome.explanation).toMatch(/temporary identity until a form is submitted/);
    // Page views under a temporary identity are not logged for the recipient.
    expect(pageViewOwner(outcome.identity)).toBeNull();
  });

  it('VIS-7 full sequence: recipient clicks, forwards, colleague clicks, colleague submits a form', () => {
    let linkUsed = false;
    // Alice (recipient) clicks in her browser.
    const alice = applyTrackedEmailClick(ANONYMOUS, { recipientContactId: 'alice', recipientLinkAlreadyUsed: linkUsed, at: T(0) });
    linkUsed ||= alice.markRecipientLinkUsed;
    expect(alice.identity).toMatchObject({ kind: 'identified', contactId: 'alice' });

    // Bob opens the forwarded email in his browser and clicks the same link.
    const bobClick = applyTrackedEmailClick(ANONYMOUS, { recipientContactId: 'alice', recipientLinkAlreadyUsed: linkUsed, at: T(10) });
    expect(bobClick.identity.kind).toBe('temporary');
    expect(pageViewOwner(bobClick.identity)).toBeNull();

    // Bob clicks it again later: still temporary, never Alice.
    const bobAgain = applyTrackedEmailClick(bobClick.identity, { recipientContactId: 'alice', recipientLinkAlreadyUsed: linkUsed, at: T(20) });
    expect(bobAgain.identity).toMatchObject({ kind: 'temporary', claimedContactId: 'alice', at: T(20) });

    // Bob submits a form with his own email: the temporary identity does not make him Alice.
    const decision = identifyContact({
      submission: { email: 'bob@example.com', visitorToken: 'b'.repeat(32), formOptions: { alwaysCreateNewContact: false } },
      contactByToken: { id: 'alice', email: 'alice@example.com' },
      tokenIdentity: bobAgain.identity,
    });
    expect(decision).toMatchObject({ action: 'create', rule: 'new_contact', tieTokenToContact: true, tieEarlierPageViews: true });

    // The form submission identifies Bob's browser for real.
    const bobIdentity = applyFormSubmission(bobAgain.identity, 'bob', T(21));
    expect(bobIdentity).toEqual({ kind: 'identified', contactId: 'bob', via: 'form', at: T(21) });
    expect(pageViewOwner(bobIdentity)).toBe('bob');
  });

  it('VIS-7 an already identified cookie is not re-assigned by an email click (even a first one)', () => {
    const bob: CookieIdentity = { kind: 'identified', contactId: 'bob', via: 'form', at: T(0) };
    const outcome = applyTrackedEmailClick(bob, { recipientContactId: 'alice', recipientLinkAlreadyUsed: false, at: T(1) });
    expect(outcome).toMatchObject({ effect: 'unchanged', markRecipientLinkUsed: false, identity: bob });
    expect(outcome.explanation).toMatch(/does not re-assign/);
  });

  it('VIS-7 the recipient clicking again in their own identified browser changes nothing', () => {
    const alice: CookieIdentity = { kind: 'identified', contactId: 'alice', via: 'email_click', at: T(0) };
    const outcome = applyTrackedEmailClick(alice, { recipientContactId: 'alice', recipientLinkAlreadyUsed: true, at: T(3) });
    expect(outcome).toMatchObject({ effect: 'unchanged', identity: alice, markRecipientLinkUsed: false });
  });

  it('VIS-7 a temporary cookie is identified by the first click of a different, unused recipient link', () => {
    const temporary: CookieIdentity = { kind: 'temporary', claimedContactId: 'alice', at: T(0) };
    const outcome = applyTrackedEmailClick(temporary, { recipientContactId: 'carol', recipientLinkAlreadyUsed: false, at: T(2) });
    expect(outcome).toMatchObject({ effect: 'identified', identity: { kind: 'identified', contactId: 'carol', via: 'email_click' } });
  });

  it('VIS-1 an anonymous cookie logs page views for nobody until identified', () => {
    expect(pageViewOwner(ANONYMOUS)).toBeNull();
  });
});
