import { describe, expect, it } from 'vitest';
import { newVisitorToken } from './conversions-support';
import { useStack } from '../support/stack';

/**
 * Concurrent writers of one contact (issue 15 items 5 and 6) on the embedded default: FerretDB
 * applies concurrent updates of one document as read-modify-write and kept only some of them, so
 * these failed before every contact write went through the repository's per-contact lock.
 */
describe('contacts under concurrent writers', () => {
  const stack = useStack();
  const CALLERS = 8;
  /** The race is timing-dependent: several rounds, each must keep everything. */
  const ROUNDS = 4;

  it('issue 15 item 5 / VIS-3: simultaneous first submissions with one new email from different browsers are all stored, in one contact that keeps every browser', async () => {
    for (let round = 0; round < ROUNDS; round += 1) await firstSubmissionsRound(`same.new.person.${round}@example.com`);
  });

  async function firstSubmissionsRound(email: string): Promise<void> {
    const form = await stack.request('POST', '/api/forms', { name: 'Concurrent signup' });
    expect(form.status).toBe(201);
    const browsers = Array.from({ length: CALLERS }, () => newVisitorToken());
    const answers = await Promise.all(
      browsers.map((visitorToken, i) =>
        fetch(`${stack.api.url}/t/forms/${form.body.id}/submissions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, visitorToken, fields: { firstname: `Caller${i}` } }),
        }).then(async (res) => ({ status: res.status, body: (await res.json()) as { submissionId?: string } })),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(CALLERS).fill(202));

    const submissions = await stack.db.models.FormSubmission.find({ formId: form.body.id }).lean();
    expect(submissions).toHaveLength(CALLERS);
    const contactIds = new Set(submissions.map((s) => s.contactId));
    expect(contactIds.size).toBe(1);
    const [contactId] = [...contactIds];
    expect((await stack.db.models.ContactEmail.findById(email).lean())?.contactId).toBe(contactId);
    const contact = await stack.db.models.Contact.findById(contactId).lean();
    expect([...(contact?.visitorTokens ?? [])].sort()).toEqual([...browsers].sort());
    expect(contact?.identification).toHaveLength(CALLERS);
    // One contact was created: one "became a lead" activity, one submission activity per submission.
    const activities = await stack.db.models.CrmActivity.find({ contactId }).lean();
    expect(activities.filter((a) => a.kind === 'lifecycle_stage')).toHaveLength(1);
    expect(activities.filter((a) => a.kind === 'form_submission')).toHaveLength(CALLERS);
    expect(await stack.db.models.ContactLock.countDocuments()).toBe(0);
  }

  it('issue 15 item 6: concurrent PATCH /api/contacts/:id calls setting different properties are all kept', async () => {
    for (let round = 0; round < ROUNDS; round += 1) await patchRound(`patched.concurrently.${round}@example.com`);
  });

  async function patchRound(email: string): Promise<void> {
    const imported = await stack.request('POST', '/api/contacts/import', { contacts: [{ email }] });
    const contactId = imported.body.contacts[0].contactId as string;
    const answers = await Promise.all(
      Array.from({ length: CALLERS }, (_, i) => stack.request('PATCH', `/api/contacts/${contactId}`, { properties: { [`flag_${i}`]: `value-${i}` } })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(CALLERS).fill(200));
    const contact = (await stack.request('GET', `/api/contacts/${contactId}`)).body;
    expect(contact.properties).toEqual(Object.fromEntries(Array.from({ length: CALLERS }, (_, i) => [`flag_${i}`, `value-${i}`])));
  }
});
