import { describe, expect, it } from 'vitest';
import {
  LIFECYCLE_STAGES,
  LIFECYCLE_STAGE_LABELS,
  compareLifecycleStages,
  isForwardMove,
  isLifecycleStage,
  lifecycleStageRank,
  normaliseEmail,
  sameEmail,
} from '../../src/domain/contacts';

describe('email normalisation for de-duplication', () => {
  it('VIS-3 trims and lower-cases', () => {
    expect(normaliseEmail('  Jane.Doe@Example.COM\n')).toBe('jane.doe@example.com');
  });

  it('keeps provider-specific variants apart (no Gmail dot or +tag folding)', () => {
    expect(normaliseEmail('jane.doe+ads@gmail.com')).toBe('jane.doe+ads@gmail.com');
    expect(sameEmail('janedoe@gmail.com', 'jane.doe@gmail.com')).toBe(false);
  });

  it('rejects what is not a plausible email', () => {
    for (const bad of ['', 'jane', 'jane@', '@example.com', 'jane@example', 'ja ne@example.com', 'a@b@c.com', 'jane@.com', 'jane@example.', 42, null]) {
      expect(normaliseEmail(bad)).toBeNull();
    }
    expect(normaliseEmail(`${'a'.repeat(250)}@x.co`)).toBeNull();
  });

  it('sameEmail compares normalised addresses and never matches invalid ones', () => {
    expect(sameEmail('A@b.co', ' a@B.CO ')).toBe(true);
    expect(sameEmail(undefined, undefined)).toBe(false);
    expect(sameEmail('x', 'x')).toBe(false);
  });
});

describe('lifecycle stages', () => {
  it('the eight stages in funnel order', () => {
    expect(LIFECYCLE_STAGES).toEqual([
      'subscriber',
      'lead',
      'marketingqualifiedlead',
      'salesqualifiedlead',
      'opportunity',
      'customer',
      'evangelist',
      'other',
    ]);
    expect(LIFECYCLE_STAGES.map(lifecycleStageRank)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Object.keys(LIFECYCLE_STAGE_LABELS)).toEqual([...LIFECYCLE_STAGES]);
  });

  it('validates stage names exactly', () => {
    expect(isLifecycleStage('customer')).toBe(true);
    expect(isLifecycleStage('Customer')).toBe(false);
    expect(isLifecycleStage('mql')).toBe(false);
    expect(isLifecycleStage(undefined)).toBe(false);
  });

  it('sorts and compares by funnel order', () => {
    expect(['customer', 'lead', 'opportunity', 'subscriber'].sort((a, b) => compareLifecycleStages(a as never, b as never))).toEqual([
      'subscriber',
      'lead',
      'opportunity',
      'customer',
    ]);
    expect(compareLifecycleStages('lead', 'lead')).toBe(0);
  });

  it('forward moves go down the funnel; "other" is never a step forward', () => {
    expect(isForwardMove(undefined, 'subscriber')).toBe(true);
    expect(isForwardMove('lead', 'salesqualifiedlead')).toBe(true);
    expect(isForwardMove('customer', 'lead')).toBe(false);
    expect(isForwardMove('lead', 'lead')).toBe(false);
    expect(isForwardMove('lead', 'other')).toBe(false);
    expect(isForwardMove('other', 'lead')).toBe(true);
  });
});
