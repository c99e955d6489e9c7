/** A request value as text: strings and numbers as they are, anything else (objects, arrays) as ''. */
export function asText(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? String(value) : '';
}
