import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors';
import { fieldError, formProblems, invalidAttrs } from '../../src/admin/events/form-problems';

/** Issue 13: a 4xx refusal's message is shown next to the field its details name. */
describe('console form problems (src/admin/events/form-problems.ts)', () => {
  const fields = ['value', 'currency', 'sharedFields', 'account', 'trigger.formId'];

  it('places zod issues (body./query. paths) and rule problems (field) on the form fields, through aliases and prefixes', () => {
    const zod = new ApiError(400, 'validation_failed', 'The request body is invalid', { issues: [{ path: 'body.value', message: 'Expected number' }] });
    expect([...formProblems(zod, fields).byField]).toEqual([['value', ['Expected number']]]);
    const rules = new ApiError(422, 'currency_invalid', 'x', {
      problems: [
        { code: 'CURRENCY_INVALID', field: 'currency', message: '"XYZ" is not an ISO 4217 currency code.' },
        { code: 'MANDATORY_FIELD_REMOVED', field: 'sharedFields.userAgent', message: 'always shared' },
        { code: 'LEAD_SYNC_OFF', field: 'adAccountId', message: 'Turn on lead sync' },
        { code: 'TRIGGER_INVALID', field: 'trigger.kind', message: 'bad trigger' },
      ],
    });
    const placed = formProblems(rules, fields, { adAccountId: 'account' });
    expect(placed.status).toBe(422);
    expect(placed.byField.get('currency')).toEqual(['"XYZ" is not an ISO 4217 currency code.']);
    expect(placed.byField.get('sharedFields')).toEqual(['always shared']);
    expect(placed.byField.get('account')).toEqual(['Turn on lead sync']);
    expect(placed.unplaced).toEqual(['trigger.kind: bad trigger']);
  });

  it('renders the message with an id the control points at, escaped', () => {
    const problems = formProblems(new ApiError(400, 'validation_failed', 'x', { issues: [{ path: 'query.from', message: '<b>from</b> must not be after to' }] }), ['from']);
    expect(String(invalidAttrs(problems, 'from'))).toBe('aria-invalid="true" aria-describedby="error-from"');
    expect(String(fieldError(problems, 'from'))).toBe('<p class="field-error" id="error-from" data-field="from">&lt;b&gt;from&lt;/b&gt; must not be after to</p>');
    expect(invalidAttrs(problems, 'to')).toBe('');
  });

  it('a refusal without details keeps its message; server errors are not refusals', () => {
    expect(formProblems(new ApiError(409, 'not_replaceable', 'Already replaced.'), fields).unplaced).toEqual(['Already replaced.']);
    const outage = new ApiError(503, 'service_unavailable', 'down');
    expect(() => formProblems(outage, fields)).toThrow(outage);
    expect(() => formProblems(new Error('boom'), fields)).toThrow('boom');
  });
});
