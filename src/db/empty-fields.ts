/**
 * A new document as inserted without its empty top-level fields: null, [], and objects whose values
 * are all null (`{}` too). The embedded FerretDB's cost of a document follows its number of fields
 * (it stores each with its type), so rows written in bulk leave out what readers default anyway; a
 * filter on `null` matches a missing field, and `$set` / `$push` / `$inc` create one.
 */
export function withoutEmptyFields(doc: object): object {
  return Object.fromEntries(Object.entries(doc).filter(([, value]) => !isEmptyField(value)));
}

function isEmptyField(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object' && !(value instanceof Date)) return Object.values(value).every((inner) => inner === null || inner === undefined);
  return false;
}
