/**
 * Times cross the domain boundary as ISO strings; the clock stays with the caller. Parsing is the
 * only thing done with them here, and a time that does not parse is a caller bug, not a decision.
 */
export function toMillis(iso: string, what: string): number {
  const millis = Date.parse(iso);
  if (Number.isNaN(millis)) throw new RangeError(`${what} is not a valid time: "${iso}"`);
  return millis;
}
