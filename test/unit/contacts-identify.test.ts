import { describe, expect, it } from 'vitest';
import {
  applyFormSubmission,
  identifyContact,
  type CookieIdentity,
  type IdentificationDecision,
  type IdentifyContactInput,
} from '../../src/domain/contacts';

const BROWSER_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const BROWSER_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const open = { alwaysCreateNewContact: false };
const kiosk = { alwaysCreateNewContact: true };

/**
 * A minimal caller: looks contacts up by email (incl. additional emails) and by token, applies the
 * decision the way the API will, and records which page views got tied. Lets the tests check whole
 * VIS sequences, not just single decisions.
 */
class World {
  contacts = new Map<string, { emails: string[]; imported: boolean }>();
  tokens = new Map<string, CookieIdentity>();
  untiedPageViews = new Map<string, number>();
  tiedPageViews = new Map<string, number>();
  private next = 1;

  importContact(email: string): string {
    const id = `c${this.next++}`;
    this.contacts.set(id, { emails: [email], imported: true });
    return id;
  }

  browse(token: string, pages: number): void {
    const identity = this.tokens.get(token);
    if (identity?.kind === 'identified') this.tiedPageViews.set(identity.contactId, (this.tiedPageViews.get(identity.contactId) ?? 0) + pages);
    else this.untiedPageViews.set(token, (this.untiedPageViews.get(token) ?? 0) + pages);
  }

  submit(email: string, token: string | undefined, formOptions = open): IdentificationDecision {
    const normalised = email.trim().toLowerCase();
    const byEmail = [...this.contacts].find(([, c]) => c.emails.includes(normalised));
    const identity = token === undefined ? undefined : this.tokens.get(token);
    const byToken = identity?.kind === 'identified' ? { id: identity.contactId, email: this.contacts.get(identity.contactId)?.emails[0] ?? null } : undefined;
    const input: IdentifyContactInput = {
      submission: { email, ...(token === undefined ? {} : { visitorToken: token }), formOptions },
      ...(byEmail === undefined ? {} : { contactByEmail: { id: byEmail[0] } }),
      ...(byToken === undefined ? {} : { contactByToken: byToken }),
      ...(identity === undefined ? {} : { tokenIdentity: identity }),
    };
    const decision = identifyContact(input);
    let contactId = decision.contactId;
    if (decision.action === 'create') {
      contactId = `c${this.next++}`;
      this.contacts.set(contactId, { emails: [decision.email!], imported: false });
    } else if (decision.action === 'update_cookie_contact') {
      this.contacts.get(contactId!)!.emails.unshift(decision.email!);
    }
    if (token !== undefined && decision.tieEarlierPageViews) {
      this.tiedPageViews.set(contactId!, (this.tiedPageViews.get(contactId!) ?? 0) + (this.untiedPageViews.get(token) ?? 0));
      this.untiedPageViews.delete(token);
    }
    if (token !== undefined && decision.tieTokenToContact) {
      this.tokens.set(token, applyFormSubmission(identity ?? { kind: 'anonymous' }, contactId!, '2026-03-10T10:00:00Z'));
    }
    return { ...decision, contactId: contactId! };
  }
}

describe('contact identification (VIS-2…VIS-5)', () => {
  it('VIS-2 an anonymous visitor who submits a form becomes a new contact and their earlier page views are tied to it', () => {
    const world = new World();
    world.browse(BROWSER_A, 4);
    const decision = world.submit('jane@example.com', BROWSER_A);
    expect(decision).toMatchObject({ action: 'create', rule: 'new_contact', tieTokenToContact: true, tieEarlierPageViews: true });
    expect(world.tiedPageViews.get(decision.contactId!)).toBe(4);
    expect(world.untiedPageViews.has(BROWSER_A)).toBe(false);
  });

  it('VIS-2 the submitted email of an imported contact identifies the visitor as that contact', () => {
    const world = new World();
    const imported = world.importContact('jane@example.com');
    world.browse(BROWSER_A, 3);
    const decision = world.submit('Jane@Example.com ', BROWSER_A);
    expect(decision).toMatchObject({ action: 'use_existing', contactId: imported, rule: 'email_match', email: 'jane@example.com' });
    expect(decision.explanation).toMatch(/imported/);
    expect(world.tiedPageViews.get(imported)).toBe(3);
    expect(world.contacts.size).toBe(1);
  });

  it('VIS-2 after identification, later page views of the browser go straight to the contact', () => {
    const world = new World();
    const { contactId } = world.submit('jane@example.com', BROWSER_A);
    world.browse(BROWSER_A, 2);
    expect(world.tiedPageViews.get(contactId!)).toBe(2);
  });

  it('VIS-3 a visitor who cleared cookies is a new visitor, but the same email de-duplicates into one contact', () => {
    const world = new World();
    world.browse(BROWSER_A, 2);
    const first = world.submit('jane@example.com', BROWSER_A);
    // Cookies cleared: the browser gets a new token and browses anonymously again.
    world.browse(BROWSER_B, 5);
    expect(world.untiedPageViews.get(BROWSER_B)).toBe(5);
    const second = world.submit('jane@example.com', BROWSER_B);
    expect(second).toMatchObject({ action: 'use_existing', contactId: first.contactId, rule: 'email_match', tieEarlierPageViews: true });
    expect(world.contacts.size).toBe(1);
    expect(world.tiedPageViews.get(first.contactId!)).toBe(7);
    // Both cookies now identify the one contact.
    expect(world.tokens.get(BROWSER_A)).toMatchObject({ kind: 'identified', contactId: first.contactId });
    expect(world.tokens.get(BROWSER_B)).toMatchObject({ kind: 'identified', contactId: first.contactId });
  });

  it('VIS-3 the same email without any cookie still de-duplicates', () => {
    const world = new World();
    const first = world.submit('jane@example.com', BROWSER_A);
    const again = world.submit('JANE@example.com', undefined);
    expect(again).toMatchObject({ action: 'use_existing', contactId: first.contactId, rule: 'email_match', tieTokenToContact: false, tieEarlierPageViews: false });
  });

  it('VIS-4 a new email from a known browser updates the cookie contact (shared browser → one contact)', () => {
    const world = new World();
    const jane = world.submit('jane@example.com', BROWSER_A);
    const john = world.submit('john@example.com', BROWSER_A);
    expect(john).toMatchObject({
      action: 'update_cookie_contact',
      contactId: jane.contactId,
      rule: 'cookie_match',
      email: 'john@example.com',
      previousEmail: 'jane@example.com',
    });
    expect(john.explanation).toMatch(/browser cookie/);
    expect(world.contacts.size).toBe(1);
    // Both addresses keep matching the one contact afterwards.
    expect(world.submit('jane@example.com', undefined)).toMatchObject({ rule: 'email_match', contactId: jane.contactId });
    expect(world.submit('john@example.com', BROWSER_B)).toMatchObject({ rule: 'email_match', contactId: jane.contactId });
  });

  it('VIS-4 email match comes before the cookie: a known email from someone else\'s browser goes to its own contact', () => {
    const world = new World();
    const jane = world.submit('jane@example.com', BROWSER_A);
    const john = world.submit('john@example.com', BROWSER_B);
    const decision = world.submit('john@example.com', BROWSER_A);
    expect(decision).toMatchObject({ action: 'use_existing', contactId: john.contactId, rule: 'email_match', tieTokenToContact: true });
    expect(decision.contactId).not.toBe(jane.contactId);
    // The browser now identifies the latest submitter.
    expect(world.tokens.get(BROWSER_A)).toMatchObject({ kind: 'identified', contactId: john.contactId });
  });

  it('VIS-5 with "always create a new contact for a new email", every new email from the same browser creates a contact', () => {
    const world = new World();
    world.browse(BROWSER_A, 3);
    const first = world.submit('visitor1@example.com', BROWSER_A, kiosk);
    const second = world.submit('visitor2@example.com', BROWSER_A, kiosk);
    const third = world.submit('visitor3@example.com', BROWSER_A, kiosk);
    expect(first).toMatchObject({ action: 'create', rule: 'new_contact' });
    expect(second).toMatchObject({ action: 'create', rule: 'new_email_new_contact', tieEarlierPageViews: false, tieTokenToContact: true });
    expect(third).toMatchObject({ action: 'create', rule: 'new_email_new_contact' });
    expect(new Set([first.contactId, second.contactId, third.contactId]).size).toBe(3);
    // The page views before the first submission stay with the first visitor.
    expect(world.tiedPageViews.get(first.contactId!)).toBe(3);
    expect(world.tiedPageViews.get(second.contactId!)).toBeUndefined();
  });

  it('VIS-5 a known email still de-duplicates on an "always create" form', () => {
    const world = new World();
    const first = world.submit('visitor1@example.com', BROWSER_A, kiosk);
    world.submit('visitor2@example.com', BROWSER_A, kiosk);
    expect(world.submit('visitor1@example.com', BROWSER_A, kiosk)).toMatchObject({ action: 'use_existing', contactId: first.contactId, rule: 'email_match' });
    expect(world.contacts.size).toBe(2);
  });

  it('VIS-5 the same browser on a normal form, after a kiosk form, falls back to the cookie rule', () => {
    const world = new World();
    const kioskContact = world.submit('visitor1@example.com', BROWSER_A, kiosk);
    expect(world.submit('other@example.com', BROWSER_A, open)).toMatchObject({ rule: 'cookie_match', contactId: kioskContact.contactId });
  });
});

describe('identifyContact: single decisions', () => {
  const base = (over: Partial<IdentifyContactInput> = {}): IdentifyContactInput => ({
    submission: { email: 'new@example.com', visitorToken: BROWSER_A, formOptions: open },
    ...over,
  });

  it('VIS-2 no cookie and no known email → new contact, nothing to tie', () => {
    const decision = identifyContact({ submission: { email: 'a@example.com', formOptions: open } });
    expect(decision).toMatchObject({ action: 'create', rule: 'new_contact', tieTokenToContact: false, tieEarlierPageViews: false });
    expect(decision.contactId).toBeUndefined();
    expect(decision.explanation).toMatch(/No visitor cookie/);
  });

  it('VIS-4 the cookie contact already has the email (lookup by email missed it) → email match on that contact', () => {
    const decision = identifyContact(base({ contactByToken: { id: 'c9', email: 'NEW@example.com' } }));
    expect(decision).toMatchObject({ action: 'use_existing', contactId: 'c9', rule: 'email_match' });
  });

  it('VIS-4 a cookie contact without an email is updated and has no previous email', () => {
    const decision = identifyContact(base({ contactByToken: { id: 'c9', email: null } }));
    expect(decision).toMatchObject({ action: 'update_cookie_contact', contactId: 'c9', rule: 'cookie_match' });
    expect(decision.previousEmail).toBeUndefined();
  });

  it('VIS-4 without a token in the submission the cookie contact is not used', () => {
    const decision = identifyContact({ submission: { email: 'new@example.com', formOptions: open }, contactByToken: { id: 'c9', email: 'x@example.com' } });
    expect(decision).toMatchObject({ action: 'create', rule: 'new_contact' });
  });

  it('VIS-7 an identity from the first email click counts as a real identity for the cookie rule', () => {
    const tokenIdentity: CookieIdentity = { kind: 'identified', contactId: 'c5', via: 'email_click', at: '2026-03-01T00:00:00Z' };
    const decision = identifyContact(base({ contactByToken: { id: 'c5', email: 'r@example.com' }, tokenIdentity }));
    expect(decision).toMatchObject({ action: 'update_cookie_contact', contactId: 'c5', rule: 'cookie_match', previousEmail: 'r@example.com' });
  });

  it('VIS-7 a temporary identity (forwarded email click) never matches: a new email creates a new contact', () => {
    const tokenIdentity: CookieIdentity = { kind: 'temporary', claimedContactId: 'c5', at: '2026-03-01T00:00:00Z' };
    const decision = identifyContact(base({ contactByToken: { id: 'c5', email: 'r@example.com' }, tokenIdentity }));
    expect(decision).toMatchObject({ action: 'create', rule: 'new_contact', tieTokenToContact: true, tieEarlierPageViews: true });
    expect(decision.explanation).toMatch(/temporary identity/);
  });

  it('an anonymous token identity is authoritative over a stale contactByToken', () => {
    const decision = identifyContact(base({ contactByToken: { id: 'c5', email: 'r@example.com' }, tokenIdentity: { kind: 'anonymous' } }));
    expect(decision).toMatchObject({ action: 'create', rule: 'new_contact' });
  });

  it('an identified token without a contactByToken row still matches its contact', () => {
    const decision = identifyContact(base({ tokenIdentity: { kind: 'identified', contactId: 'c7', via: 'form', at: '2026-03-01T00:00:00Z' } }));
    expect(decision).toMatchObject({ action: 'update_cookie_contact', contactId: 'c7', rule: 'cookie_match' });
  });

  it('every decision explains which rule matched', () => {
    const rules = [
      identifyContact(base({ contactByEmail: { id: 'c1' } })),
      identifyContact(base({ contactByToken: { id: 'c2', email: 'x@example.com' } })),
      identifyContact({ ...base({ contactByToken: { id: 'c2', email: 'x@example.com' } }), submission: { email: 'new@example.com', visitorToken: BROWSER_A, formOptions: kiosk } }),
      identifyContact(base()),
    ];
    expect(rules.map((d) => d.rule)).toEqual(['email_match', 'cookie_match', 'new_email_new_contact', 'new_contact']);
    expect(rules.map((d) => d.explanation.split(':')[0])).toEqual(['Matched by email', 'Matched by browser cookie', 'New contact', 'New contact']);
  });

  it('an invalid email is a caller bug and throws', () => {
    expect(() => identifyContact({ submission: { email: 'not-an-email', formOptions: open } })).toThrow(RangeError);
  });
});
