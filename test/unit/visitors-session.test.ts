import { describe, expect, it } from 'vitest';
import { SESSION_TIMEOUT_MS, decideSession, extractSessionSource, isWithinSession, type OpenSession } from '../../src/domain/visitors';

const T0 = '2026-03-10T10:00:00.000Z';
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const MIN = 60_000;

const FB_CLICK =
  'https://shop.test/p/spring?utm_source=facebook&utm_medium=paid&utm_campaign=Spring+Sale&hsa_acc=1234567890&hsa_cam=111' +
  '&hsa_grp=222&hsa_ad=5550001&hsa_net=facebook&hsa_src=instagram&hsa_ver=3&fbclid=IwAR0abc';
const OTHER_FB_CLICK = FB_CLICK.replace('hsa_ad=5550001', 'hsa_ad=5550002').replace('fbclid=IwAR0abc', 'fbclid=IwAR0def');

function openSession(landingUrl: string, lastActivityAt = T0): OpenSession {
  return { lastActivityAt, source: extractSessionSource(landingUrl) };
}

describe('sessions: start with a landing page, end after 30 minutes without activity', () => {
  it('the first page view of a visitor starts a session whose source is its landing URL', () => {
    const decision = decideSession(undefined, { at: T0, url: FB_CLICK });
    expect(decision).toMatchObject({ kind: 'new_session', reason: 'first_page_view', startedAt: T0, landingUrl: FB_CLICK });
    if (decision.kind !== 'new_session') throw new Error('expected a new session');
    expect(decision.source.adClick).toMatchObject({ network: 'facebook', accountId: '1234567890', adId: '5550001' });
    expect(decision.source.utm.utm_campaign).toBe('Spring Sale');
    expect(decision.source.clickIds.fbclid).toBe('IwAR0abc');
  });

  it('the timeout is exactly 30 minutes', () => {
    expect(SESSION_TIMEOUT_MS).toBe(30 * MIN);
  });

  it('a page view 29:59 after the last activity stays in the session', () => {
    const decision = decideSession(openSession('https://shop.test/'), { at: plus(T0, 30 * MIN - 1000), url: 'https://shop.test/pricing' });
    expect(decision).toEqual({ kind: 'same_session', lastActivityAt: plus(T0, 30 * MIN - 1000) });
  });

  it('a page view exactly 30:00 after the last activity starts a new session (inactivity)', () => {
    const decision = decideSession(openSession('https://shop.test/'), { at: plus(T0, 30 * MIN), url: 'https://shop.test/pricing' });
    expect(decision).toMatchObject({ kind: 'new_session', reason: 'inactivity', startedAt: plus(T0, 30 * MIN), landingUrl: 'https://shop.test/pricing' });
  });

  it('inactivity counts from the last activity, not from the session start', () => {
    // Active every 20 minutes for an hour: still one session.
    let session = openSession('https://shop.test/');
    for (const minutes of [20, 40, 60]) {
      const decision = decideSession(session, { at: plus(T0, minutes * MIN), url: 'https://shop.test/next' });
      expect(decision.kind).toBe('same_session');
      if (decision.kind === 'same_session') session = { ...session, lastActivityAt: decision.lastActivityAt };
    }
    expect(session.lastActivityAt).toBe(plus(T0, 60 * MIN));
  });

  it('a late beacon (earlier than the last activity) stays in the session and does not move its clock back', () => {
    const session = openSession('https://shop.test/', plus(T0, 10 * MIN));
    expect(decideSession(session, { at: plus(T0, 5 * MIN), url: 'https://shop.test/a' })).toEqual({
      kind: 'same_session',
      lastActivityAt: plus(T0, 10 * MIN),
    });
  });

  it('ATT-1 a new ad click in the middle of a session starts a new session (the click starts a web session)', () => {
    const decision = decideSession(openSession('https://shop.test/blog'), { at: plus(T0, 5 * MIN), url: FB_CLICK });
    expect(decision).toMatchObject({ kind: 'new_session', reason: 'new_ad_click', startedAt: plus(T0, 5 * MIN) });
  });

  it('ATT-1 a click on another ad within the ad session starts a new session', () => {
    const decision = decideSession(openSession(FB_CLICK), { at: plus(T0, 2 * MIN), url: OTHER_FB_CLICK });
    expect(decision).toMatchObject({ kind: 'new_session', reason: 'new_ad_click' });
  });

  it('a Google auto-tagged click (gclid only) mid-session starts a new session', () => {
    const decision = decideSession(openSession('https://shop.test/'), { at: plus(T0, MIN), url: 'https://shop.test/p/x?gclid=Cj0KCQjw' });
    expect(decision).toMatchObject({ kind: 'new_session', reason: 'new_ad_click' });
  });

  it('reloading the landing page of the same click stays in the session', () => {
    expect(decideSession(openSession(FB_CLICK), { at: plus(T0, MIN), url: FB_CLICK }).kind).toBe('same_session');
  });

  it('navigating to pages without parameters, or with only utm_* parameters, stays in the session', () => {
    const session = openSession(FB_CLICK);
    expect(decideSession(session, { at: plus(T0, MIN), url: 'https://shop.test/contact' }).kind).toBe('same_session');
    expect(decideSession(session, { at: plus(T0, MIN), url: 'https://shop.test/blog?utm_source=newsletter&utm_campaign=may' }).kind).toBe(
      'same_session',
    );
  });

  it('the same ad click after 30 minutes of inactivity is a new session (inactivity wins)', () => {
    expect(decideSession(openSession(FB_CLICK), { at: plus(T0, 31 * MIN), url: FB_CLICK })).toMatchObject({ kind: 'new_session', reason: 'inactivity' });
  });

  it('an unparseable time is a caller bug and throws', () => {
    expect(() => decideSession(undefined, { at: 'yesterday', url: 'https://shop.test/' })).toThrow(RangeError);
    expect(() => decideSession(openSession('https://shop.test/', 'nope'), { at: T0, url: 'https://shop.test/' })).toThrow(RangeError);
  });

  it('isWithinSession: a form submission at 29:59 belongs to the session, at 30:00 it does not', () => {
    expect(isWithinSession(T0, plus(T0, 30 * MIN - 1000))).toBe(true);
    expect(isWithinSession(T0, plus(T0, 30 * MIN))).toBe(false);
  });
});
