import { describe, expect, it } from 'vitest';
import { canonicalFieldKey, identifyLeadContact, leadToContact, mapLeadFields } from '../../src/domain/contacts';
import type { NetworkLead } from '../../src/networks/types';

function lead(network: NetworkLead['network'], fields: Record<string, string>, over: Partial<NetworkLead> = {}): NetworkLead {
  return {
    network,
    leadId: 'L1',
    formId: 'F1',
    adId: 'A1',
    adGroupId: 'G1',
    campaignId: 'C1',
    createdTime: '2026-03-14T08:49:14.000Z',
    isOrganic: false,
    fields,
    ...over,
  };
}

describe('lead → contact properties, per network', () => {
  it('LEAD-1 Facebook field_data names (§7.2: full_name, email, phone_number)', () => {
    const contact = leadToContact(
      lead('facebook', { full_name: 'Joe Example', email: 'Joe@Example.com', phone_number: '+15551234567', city: 'Berlin', budget: '10k' }),
    );
    expect(contact.properties).toEqual({
      email: 'joe@example.com',
      fullName: 'Joe Example',
      firstName: 'Joe',
      lastName: 'Example',
      phone: '+15551234567',
      city: 'Berlin',
      otherAnswers: { budget: '10k' },
    });
    expect(contact).toMatchObject({ source: 'lead_ad', organic: false });
  });

  it('LEAD-1 Facebook first_name + last_name, job_title, company_name, zip_code', () => {
    const { properties } = leadToContact(
      lead('facebook', { first_name: 'Ana', last_name: 'de la Cruz', job_title: 'CTO', company_name: 'Acme', zip_code: '10115', email: 'ana@acme.test' }),
    );
    expect(properties).toMatchObject({
      firstName: 'Ana',
      lastName: 'de la Cruz',
      fullName: 'Ana de la Cruz',
      jobTitle: 'CTO',
      company: 'Acme',
      postalCode: '10115',
      email: 'ana@acme.test',
    });
    expect(properties.otherAnswers).toEqual({});
  });

  it('LEAD-1 Google webhook column_ids (§5.2: FULL_NAME, EMAIL, custom question ids)', () => {
    const { properties } = leadToContact(
      lead('google', { FULL_NAME: 'FirstName LastName', EMAIL: 'test@example.com', PHONE_NUMBER: '+49301234', budget: '10k' }),
    );
    expect(properties).toMatchObject({ fullName: 'FirstName LastName', firstName: 'FirstName', lastName: 'LastName', email: 'test@example.com', phone: '+49301234' });
    expect(properties.otherAnswers).toEqual({ budget: '10k' });
  });

  it('LEAD-1 Google GAQL fieldTypes incl. WORK_EMAIL, WORK_PHONE, COMPANY_NAME, JOB_TITLE, POSTAL_CODE, COUNTRY', () => {
    const { properties } = leadToContact(
      lead('google', {
        FIRST_NAME: 'Jane',
        LAST_NAME: 'Doe',
        WORK_EMAIL: 'jane@corp.test',
        WORK_PHONE: '+1 555 0100',
        COMPANY_NAME: 'Corp',
        JOB_TITLE: 'Buyer',
        POSTAL_CODE: '94016',
        COUNTRY: 'US',
      }),
    );
    expect(properties).toEqual({
      firstName: 'Jane',
      lastName: 'Doe',
      fullName: 'Jane Doe',
      email: 'jane@corp.test',
      phone: '+1 555 0100',
      company: 'Corp',
      jobTitle: 'Buyer',
      postalCode: '94016',
      country: 'US',
      otherAnswers: {},
    });
  });

  it('LEAD-1 a personal email wins over a work email; the work email is kept as an answer', () => {
    const { properties } = leadToContact(lead('google', { WORK_EMAIL: 'jane@corp.test', EMAIL: 'jane@home.test' }));
    expect(properties.email).toBe('jane@home.test');
    expect(properties.otherAnswers).toEqual({ WORK_EMAIL: 'jane@corp.test' });
  });

  it('LEAD-1 LinkedIn question names and predefined fields (§3.1: email, first_name…), and advertiser names like emailAddress', () => {
    expect(leadToContact(lead('linkedin', { email: 'jane@example.com', first_name: 'Jane', last_name: 'Doe', company_name: 'Acme' })).properties).toMatchObject({
      email: 'jane@example.com',
      fullName: 'Jane Doe',
      company: 'Acme',
    });
    expect(leadToContact(lead('linkedin', { emailAddress: ' Jane@Example.com ', firstName: 'Jane', lastName: 'Doe', budget: '1, 2' })).properties).toEqual({
      email: 'jane@example.com',
      firstName: 'Jane',
      lastName: 'Doe',
      fullName: 'Jane Doe',
      otherAnswers: { budget: '1, 2' },
    });
  });

  it('field names are compared case- and punctuation-insensitively ("Full Name", FULL_NAME, fullName)', () => {
    expect(['Full Name', 'FULL_NAME', 'fullName', 'full-name'].map(canonicalFieldKey)).toEqual(['fullname', 'fullname', 'fullname', 'fullname']);
    expect(mapLeadFields({ 'User Email': 'u@example.com' }).email).toBe('u@example.com');
  });

  it('an answer in an email field that is not an email is kept as an answer, not as the email', () => {
    const { properties } = leadToContact(lead('facebook', { email: 'n/a', full_name: 'Joe' }));
    expect(properties.email).toBeUndefined();
    expect(properties.otherAnswers).toEqual({ email: 'n/a' });
    expect(properties).toMatchObject({ fullName: 'Joe', firstName: 'Joe' });
    expect(properties.lastName).toBeUndefined();
  });

  it('empty answers are dropped; the first of two fields with the same key wins', () => {
    const { properties } = leadToContact(lead('facebook', { email: '   ', EMAIL: 'second@example.com', phone: '' }));
    expect(properties).toEqual({ email: 'second@example.com', otherAnswers: {} });
  });

  it('the lead origin keeps network lead id, form, ad, ad group and campaign (LEAD-1)', () => {
    expect(leadToContact(lead('facebook', { email: 'a@b.co' })).origin).toEqual({
      network: 'facebook',
      leadId: 'L1',
      formId: 'F1',
      adId: 'A1',
      adGroupId: 'G1',
      campaignId: 'C1',
      submittedAt: '2026-03-14T08:49:14.000Z',
      organic: false,
    });
  });

  it('LEAD-3 an organic lead is marked organic and carries no ad', () => {
    const { adId: _a, adGroupId: _g, campaignId: _c, ...organic } = lead('linkedin', { email: 'a@b.co' }, { isOrganic: true });
    const contact = leadToContact(organic);
    expect(contact).toMatchObject({ source: 'organic_lead_form', organic: true });
    expect(contact.origin.organic).toBe(true);
    expect(contact.origin).not.toHaveProperty('adId');
  });
});

describe('lead → contact de-duplication (LEAD-2, VIS rules)', () => {
  it('LEAD-2 a lead whose email belongs to a contact updates that contact', () => {
    const decision = identifyLeadContact({ lead: lead('facebook', { email: 'JOE@example.com' }), contactByEmail: { id: 'c1' } });
    expect(decision).toMatchObject({ action: 'use_existing', contactId: 'c1', rule: 'email_match', email: 'joe@example.com', tieTokenToContact: false });
    expect(decision.explanation).toMatch(/^Lead L1 from facebook lead form F1\. Matched by email/);
  });

  it('LEAD-2 a lead with a new email creates a contact', () => {
    expect(identifyLeadContact({ lead: lead('google', { EMAIL: 'new@example.com' }) })).toMatchObject({ action: 'create', rule: 'new_contact', email: 'new@example.com' });
  });

  it('LEAD-2 a lead without a usable email creates a contact it cannot de-duplicate', () => {
    const decision = identifyLeadContact({ lead: lead('linkedin', { first_name: 'Jane' }) });
    expect(decision).toMatchObject({ action: 'create', rule: 'new_contact', email: null, tieTokenToContact: false, tieEarlierPageViews: false });
    expect(decision.explanation).toMatch(/no usable email/);
  });

  it('LEAD-2 the same person through leads of all three networks ends up as one contact', () => {
    const contacts = new Map<string, string>();
    let next = 1;
    const sync = (l: NetworkLead): string => {
      const email = leadToContact(l).properties.email!;
      const existing = contacts.get(email);
      const decision = identifyLeadContact({ lead: l, ...(existing === undefined ? {} : { contactByEmail: { id: existing } }) });
      const id = decision.contactId ?? `c${next++}`;
      contacts.set(email, id);
      return id;
    };
    const ids = [
      sync(lead('facebook', { email: 'jane@example.com' })),
      sync(lead('google', { EMAIL: 'Jane@Example.com' }, { leadId: 'L2' })),
      sync(lead('linkedin', { emailAddress: 'jane@example.com ' }, { leadId: 'L3' })),
    ];
    expect(new Set(ids).size).toBe(1);
  });
});
