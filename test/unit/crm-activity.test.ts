import { describe, expect, it } from 'vitest';
import { formSubmissionActivity, lifecycleActivity } from '../../src/contacts/crm-activity';
import { toActivityRef, triggers } from '../../src/conversions/routing';
import { conversionEventId } from '../../src/domain/conversions/event-id';
import { toCrmActivity } from '../../src/conversions/records';

describe('CRM activity records (issue 10 §3)', () => {
  const at = new Date('2026-03-01T10:00:00.123Z');

  it('CONV-7 the record id is fixed by the activity, so recording it twice is one record', () => {
    expect(lifecycleActivity('c-1', 'customer', at, 'api')._id).toBe(`lifecycle:c-1:customer:${at.getTime()}`);
    expect(lifecycleActivity('c-1', 'customer', new Date(at), 'import')._id).toBe(lifecycleActivity('c-1', 'customer', at, 'api')._id);
    expect(formSubmissionActivity('c-1', 'form-1', 'sub-1', at)._id).toBe('form_submission:sub-1');
  });

  it('CONV-7 a delivered record always yields the same conversion event id (redelivery dedupes in the ledger)', () => {
    const record = lifecycleActivity('c-1', 'customer', at, 'lead_sync');
    const once = conversionEventId('def-1', toCrmActivity(toActivityRef(record), undefined));
    const relayedLater = { ...record, createdAt: new Date(at.getTime() + 60_000) };
    const again = conversionEventId('def-1', toCrmActivity(toActivityRef(relayedLater), undefined));
    expect(again).toBe(once);
    expect(toActivityRef(formSubmissionActivity('c-1', 'form-1', 'sub-1', at))).toEqual({
      kind: 'form_submission',
      contactId: 'c-1',
      formId: 'form-1',
      submissionId: 'sub-1',
      at: at.toISOString(),
    });
  });

  it('CONV-2 a record goes to the definitions whose trigger it matches', () => {
    const stage = toActivityRef(lifecycleActivity('c-1', 'customer', at, 'api'));
    const form = toActivityRef(formSubmissionActivity('c-1', 'form-1', 'sub-1', at));
    expect(triggers({ kind: 'lifecycle_stage', stages: ['customer', 'opportunity'] }, stage)).toBe(true);
    expect(triggers({ kind: 'lifecycle_stage', stages: ['lead'] }, stage)).toBe(false);
    expect(triggers({ kind: 'form_submission', formId: 'form-1' }, stage)).toBe(false);
    expect(triggers({ kind: 'form_submission', formId: 'form-1' }, form)).toBe(true);
    expect(triggers({ kind: 'form_submission', formId: 'form-2' }, form)).toBe(false);
    expect(triggers({ kind: 'lifecycle_stage', stages: ['customer'] }, form)).toBe(false);
  });
});
