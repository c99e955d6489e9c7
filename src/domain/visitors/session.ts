/**
 * Web sessions: a session starts with a landing page view and ends after 30 minutes without
 * activity. A new ad click also starts a session (ATT-1: the click "starts a web session"), even
 * when the visitor was already browsing — otherwise a click in the middle of an organic visit could
 * never be attributed. Changing only utm_* parameters (e.g. internal links) does not split a session.
 */
import { toMillis } from './instant';
import { adClickKey, extractSessionSource, isAdClickSource, type SessionSource } from './session-source';

export const SESSION_TIMEOUT_MS = 30 * 60 * 1000;

/** What the caller knows about the visitor's current session. */
export interface OpenSession {
  /** ISO time of the latest page view or submission in the session. */
  lastActivityAt: string;
  source: Pick<SessionSource, 'adClick' | 'clickIds'>;
}

export interface PageViewEvent {
  /** ISO time of the page view. */
  at: string;
  /** The page URL as the browser reported it (raw: parameters are read before any length cap). */
  url: string;
}

export type NewSessionReason = 'first_page_view' | 'inactivity' | 'new_ad_click';

export type SessionDecision =
  | { kind: 'same_session'; lastActivityAt: string }
  | { kind: 'new_session'; reason: NewSessionReason; startedAt: string; landingUrl: string; source: SessionSource };

/**
 * Same session or a new one for `pageView`, given the visitor's open session (if any).
 * A gap of exactly 30:00 ends the session; 29:59 keeps it. Page views reported out of order (a
 * late beacon, earlier than the last activity) stay in the session and do not move its clock back.
 */
export function decideSession(current: OpenSession | undefined, pageView: PageViewEvent): SessionDecision {
  const at = toMillis(pageView.at, 'page view time');
  const source = extractSessionSource(pageView.url);
  const start = (reason: NewSessionReason): SessionDecision => ({
    kind: 'new_session',
    reason,
    startedAt: pageView.at,
    landingUrl: pageView.url,
    source,
  });
  if (current === undefined) return start('first_page_view');
  const last = toMillis(current.lastActivityAt, 'last activity time');
  if (at - last >= SESSION_TIMEOUT_MS) return start('inactivity');
  if (isAdClickSource(source) && adClickKey(source) !== adClickKey(current.source)) return start('new_ad_click');
  return { kind: 'same_session', lastActivityAt: at > last ? pageView.at : current.lastActivityAt };
}

/** Whether activity at `at` still belongs to a session last active at `lastActivityAt` (e.g. a form submission). */
export function isWithinSession(lastActivityAt: string, at: string): boolean {
  return toMillis(at, 'activity time') - toMillis(lastActivityAt, 'last activity time') < SESSION_TIMEOUT_MS;
}
