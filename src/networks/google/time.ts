/**
 * Google Ads date-times are account-local ("yyyy-MM-dd HH:mm:ss", sometimes with ".ffffff" or an
 * offset). GAQL filters take the account's wall time, so the client converts ISO instants to it.
 */

function wallParts(date: Date, timeZone: string): Record<string, string> {
  const parts: Record<string, string> = {};
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  for (const p of format.formatToParts(date)) if (p.type !== 'literal') parts[p.type] = p.value;
  return parts;
}

/** The account-local wall time of an instant, as GAQL wants it: "yyyy-MM-dd HH:mm:ss". */
export function toAccountDateTime(date: Date, timeZone: string): string {
  const p = wallParts(date, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  const p = wallParts(new Date(whole), timeZone);
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - whole;
}

/**
 * Parses "yyyy-MM-dd HH:mm:ss[.ffffff][±hh:mm]" to an ISO instant. Without an offset the wall time
 * is read in `timeZone`. Returns undefined when it does not parse.
 */
export function parseAccountDateTime(text: string, timeZone = 'UTC'): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '0', zulu, sign, oh, om] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) + Math.floor(Number(`0.${frac}`) * 1000);
  let instant: number;
  if (zulu) instant = wall;
  else if (sign) instant = wall - (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  else {
    instant = wall - zoneOffsetMs(wall, timeZone);
    instant = wall - zoneOffsetMs(instant, timeZone);
  }
  return Number.isFinite(instant) ? new Date(instant).toISOString() : undefined;
}

/** ISO instant → "yyyy-mm-dd hh:mm:ss+00:00" (the upload format needs an explicit offset, §4.2). */
export function toConversionDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`Not a date: ${iso}`);
  return `${d.toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}
