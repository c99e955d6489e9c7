import { describe, expect, it } from 'vitest';
import { enabledAt } from '../../src/conversions/routing';

describe('CONV-8 an activity is routed by whether its conversion event was on when it happened', () => {
  const off = new Date('2026-12-06T10:00:00Z');
  const on = new Date('2026-12-06T10:05:00Z');
  const switched = { enabled: true, enabledHistory: [{ enabled: false, at: off }, { enabled: true, at: on }] };

  it('activity while switched off is not routed, even when relayed after the event was switched on again', () => {
    expect(enabledAt(switched, '2026-12-06T10:02:00Z')).toBe(false);
  });

  it('activity before the switch-off is still routed when relayed while off; activity after switching on is routed', () => {
    const offNow = { enabled: false, enabledHistory: [{ enabled: false, at: off }] };
    expect(enabledAt(offNow, '2026-12-06T09:59:59Z')).toBe(true);
    expect(enabledAt(switched, '2026-12-06T10:06:00Z')).toBe(true);
  });

  it('a definition never switched follows its flag (definitions switched before the history existed)', () => {
    expect(enabledAt({ enabled: false }, '2026-12-06T10:02:00Z')).toBe(false);
    expect(enabledAt({ enabled: true, enabledHistory: [] }, '2026-12-06T10:02:00Z')).toBe(true);
  });
});
