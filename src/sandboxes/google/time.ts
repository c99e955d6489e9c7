/**
 * Google Ads reports dates and date-times in the account's time zone ("yyyy-MM-dd HH:mm:ss", with or
 * without an offset). These helpers render and parse them with Intl only, so the sandbox can give each
 * seeded customer a different IANA zone (incl. half-hour offsets) and stay honest about it.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(epochMs: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Minutes the zone is ahead of UTC at that instant (e.g. -420 for PDT, 330 for IST). */
export function offsetMinutes(epochMs: number, timeZone: string): number {
  const whole = epochMs - (((epochMs % 1000) + 1000) % 1000);
  const w = wallClock(whole, timeZone);
  return Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - whole) / 60_000);
}

const pad = (n: number, width = 2) => String(Math.trunc(n)).padStart(width, '0');

export function formatDate(epochMs: number, timeZone: string): string {
  const w = wallClock(epochMs, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** "yyyy-MM-dd HH:mm:ss", optionally with ".ffffff" micros or a "+hh:mm" offset. */
export function formatDateTime(epochMs: number, timeZone: string, style: { offset?: boolean; micros?: boolean } = {}): string {
  const w = wallClock(epochMs, timeZone);
  let out = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  if (style.micros) out += `.${pad((((epochMs % 1000) + 1000) % 1000) * 1000, 6)}`;
  if (style.offset) {
    const off = offsetMinutes(epochMs, timeZone);
    out += `${off < 0 ? '-' : '+'}${pad(Math.abs(off) / 60)}:${pad(Math.abs(off) % 60)}`;
  }
  return out;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * Parses a GAQL / API date or date-time literal. Without an explicit offset the wall time is read in
 * `timeZone` (as Google does for filters on account-local fields). Returns undefined when malformed.
 */
export function parseDateTime(text: string, timeZone: string): number | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zulu, sign, oh, om] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const wallAsUtc = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s)) + Math.floor(Number(`0.${frac || '0'}`) * 1000);
  if (new Date(wallAsUtc).getUTCDate() !== day) return undefined;
  if (zulu) return wallAsUtc;
  if (sign) return wallAsUtc - (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  // Local wall time: correct by the zone offset, twice to settle around DST switches.
  let guess = wallAsUtc - offsetMinutes(wallAsUtc, timeZone) * 60_000;
  guess = wallAsUtc - offsetMinutes(guess, timeZone) * 60_000;
  return guess;
}

export function isDateLiteral(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && parseDateTime(text, 'UTC') !== undefined;
}

/** Adds whole days to a "yyyy-MM-dd" date. */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
