import { describe, expect, it } from 'vitest';
import { GaqlError, parseGaql } from '../../src/sandboxes/google/gaql/parser';
import { durationRange } from '../../src/sandboxes/google/gaql/evaluate';

/** §2.4 GAQL grammar of the sandbox: what parses, and the queryError each malformed query gets. */

const codeOf = (query: string) => {
  try {
    parseGaql(query);
  } catch (error) {
    if (error instanceof GaqlError) return error.code;
    throw error;
  }
  return 'OK';
};

describe('§2.4 GAQL parser', () => {
  it('parses SELECT, FROM, WHERE with every operator, ORDER BY, LIMIT and PARAMETERS', () => {
    const q = parseGaql(
      "SELECT campaign.id, segments.date FROM campaign WHERE campaign.status != 'REMOVED' AND campaign.id IN (1, 2) " +
        "AND campaign.name LIKE 'Brand%' AND segments.date BETWEEN '2024-05-01' AND '2024-05-07' AND campaign.name IS NOT NULL " +
        "AND campaign.name NOT IN ('a', \"b\") AND segments.date DURING LAST_7_DAYS ORDER BY campaign.id DESC, segments.date LIMIT 50 PARAMETERS include_drafts = true",
    );
    expect(q.select).toEqual(['campaign.id', 'segments.date']);
    expect(q.from).toBe('campaign');
    expect(q.where.map((c) => c.op)).toEqual(['!=', 'IN', 'LIKE', 'BETWEEN', 'IS NOT NULL', 'NOT IN', 'DURING']);
    expect(q.where[1]?.values.map((v) => v.value)).toEqual(['1', '2']);
    expect(q.where[3]?.values.map((v) => v.value)).toEqual(['2024-05-01', '2024-05-07']);
    expect(q.orderBy).toEqual([
      { field: 'campaign.id', descending: true },
      { field: 'segments.date', descending: false },
    ]);
    expect(q.limit).toBe(50);
    expect(q.parameters).toEqual({ include_drafts: 'true' });
  });

  it.each([
    ['campaign.id FROM campaign', 'EXPECTED_SELECT'],
    ['SELECT campaign.id', 'EXPECTED_FROM'],
    ["SELECT campaign.id FROM campaign WHERE campaign.name = 'open", 'STRING_NOT_TERMINATED'],
    ['SELECT campaign.id FROM campaign WHERE campaign.id IN 1', 'EXPECTED_LIST'],
    ['SELECT campaign.id FROM campaign WHERE campaign.id IN ()', 'PROHIBITED_EMPTY_LIST_IN_CONDITION'],
    ["SELECT campaign.id FROM campaign WHERE segments.date BETWEEN '2024-05-01' '2024-05-02'", 'EXPECTED_AND'],
    ['SELECT campaign.id FROM campaign ORDER campaign.id', 'EXPECTED_BY'],
    ['SELECT campaign.id FROM campaign LIMIT many', 'BAD_LIMIT_VALUE'],
    ['SELECT campaign.id FROM campaign WHERE campaign.id ~ 1', 'BAD_SYMBOL'],
    ['SELECT campaign.id FROM campaign WHERE campaign.id = 1 OR campaign.id = 2', 'UNEXPECTED_INPUT'],
    ['SELECT Campaign.Id FROM campaign', 'BAD_FIELD_NAME'],
  ])('%s → %s', (query, code) => {
    expect(codeOf(query)).toBe(code);
  });

  it('expands DURING literals relative to the account-local today', () => {
    expect(durationRange('LAST_7_DAYS', '2024-05-10')).toEqual(['2024-05-03', '2024-05-09']);
    expect(durationRange('YESTERDAY', '2024-03-01')).toEqual(['2024-02-29', '2024-02-29']);
    expect(durationRange('LAST_MONTH', '2024-03-15')).toEqual(['2024-02-01', '2024-02-29']);
    expect(() => durationRange('SOMETIME', '2024-03-15')).toThrow(GaqlError);
  });
});
