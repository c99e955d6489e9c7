import { addDays, isDateLiteral, parseDateTime } from '../time';
import { GaqlError, type Condition, type Literal } from './parser';
import { asText, type FieldDef } from './schema';

/** Evaluation of WHERE conditions against field values, per field type. */

export function durationRange(literal: string, today: string): [string, string] {
  const month = today.slice(0, 7);
  switch (literal.toUpperCase()) {
    case 'TODAY':
      return [today, today];
    case 'YESTERDAY':
      return [addDays(today, -1), addDays(today, -1)];
    case 'LAST_7_DAYS':
      return [addDays(today, -7), addDays(today, -1)];
    case 'LAST_14_DAYS':
      return [addDays(today, -14), addDays(today, -1)];
    case 'LAST_30_DAYS':
      return [addDays(today, -30), addDays(today, -1)];
    case 'THIS_MONTH':
      return [`${month}-01`, today];
    case 'LAST_MONTH': {
      const firstOfThis = `${month}-01`;
      const lastOfPrevious = addDays(firstOfThis, -1);
      return [`${lastOfPrevious.slice(0, 7)}-01`, lastOfPrevious];
    }
    default:
      throw new GaqlError('INVALID_VALUE_WITH_DURING_OPERATOR', `The value passed to the DURING operator is not a Date range literal: ${literal}.`);
  }
}

/** Checks literals against the field's type once, before any row is read. */
export function validateCondition(field: string, def: FieldDef, cond: Condition): void {
  if (def.type === 'message_list') throw new GaqlError('PROHIBITED_FIELD_IN_WHERE_CLAUSE', `A field that is not filterable was included in the WHERE clause: ${field}.`);
  if (cond.op === 'DURING' && def.type !== 'date') throw new GaqlError('OPERATOR_FIELD_MISMATCH', `DURING cannot be applied to ${field}.`);
  if ((cond.op === 'LIKE' || cond.op === 'NOT LIKE') && def.type !== 'string' && def.type !== 'resource_name') {
    throw new GaqlError('OPERATOR_FIELD_MISMATCH', `LIKE cannot be applied to ${field}.`);
  }
  if (cond.op.startsWith('CONTAINS') !== (def.type === 'string_list')) {
    if (!(cond.op === 'IS NULL' || cond.op === 'IS NOT NULL')) throw new GaqlError('OPERATOR_FIELD_MISMATCH', `${cond.op} cannot be applied to ${field}.`);
  }
  for (const v of cond.op === 'DURING' ? [] : cond.values) {
    if (def.type === 'enum' && def.enumValues && !def.enumValues.includes(v.value)) {
      throw new GaqlError('BAD_ENUM_CONSTANT', `A condition used in the query references an invalid enum constant: ${v.value}.`);
    }
    if (def.type === 'date' && !isDateLiteral(v.value)) throw new GaqlError('INVALID_DATE_FORMAT', "Invalid date format. Expected 'YYYY-MM-DD'.");
    if (def.type === 'datetime' && parseDateTime(v.value, 'UTC') === undefined) throw new GaqlError('BAD_VALUE', `Value is invalid: ${v.value}.`);
    if ((def.type === 'int64' || def.type === 'double') && !/^-?\d+(\.\d+)?$/.test(v.value)) throw new GaqlError('BAD_NUMBER', `Encountered number can not be parsed: ${v.value}.`);
    if ((def.type === 'string' || def.type === 'resource_name') && v.kind !== 'string') {
      throw new GaqlError('INVALID_STRING_VALUE', `Value passed was not a string when it should have been: ${v.value}.`);
    }
  }
}

function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '\\' && i + 1 < pattern.length) {
      source += (pattern[++i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

type Comparable = number | string | boolean;

function coerce(def: FieldDef, literal: Literal, timeZone: string): Comparable {
  switch (def.type) {
    case 'int64':
    case 'double':
      return Number(literal.value);
    case 'bool':
      return literal.value.toUpperCase() === 'TRUE';
    case 'datetime':
      return parseDateTime(literal.value, timeZone) ?? Number.NaN;
    default:
      return literal.value;
  }
}

function coerceValue(def: FieldDef, value: unknown): Comparable | undefined {
  if (value === undefined || value === null) return undefined;
  if (def.type === 'int64' || def.type === 'double' || def.type === 'datetime') return Number(value);
  if (typeof value === 'boolean') return value;
  return asText(value);
}

export function conditionHolds(def: FieldDef, raw: unknown, cond: Condition, timeZone: string, today: string): boolean {
  if (cond.op === 'IS NULL') return raw === undefined || raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0);
  if (cond.op === 'IS NOT NULL') return !conditionHolds(def, raw, { ...cond, op: 'IS NULL' }, timeZone, today);
  if (cond.op.startsWith('CONTAINS')) {
    const have = new Set(Array.isArray(raw) ? raw.map(String) : []);
    const wanted = cond.values.map((v) => v.value);
    if (cond.op === 'CONTAINS ANY') return wanted.some((w) => have.has(w));
    if (cond.op === 'CONTAINS ALL') return wanted.every((w) => have.has(w));
    return wanted.every((w) => !have.has(w));
  }
  const value = coerceValue(def, raw);
  const literals = cond.values.map((v) => coerce(def, v, timeZone));
  const [first, second] = literals;
  switch (cond.op) {
    case '=':
      return value !== undefined && value === first;
    case '!=':
      return value === undefined || value !== first;
    case '>':
      return value !== undefined && first !== undefined && value > first;
    case '>=':
      return value !== undefined && first !== undefined && value >= first;
    case '<':
      return value !== undefined && first !== undefined && value < first;
    case '<=':
      return value !== undefined && first !== undefined && value <= first;
    case 'IN':
      return value !== undefined && literals.includes(value);
    case 'NOT IN':
      return value === undefined || !literals.includes(value);
    case 'BETWEEN':
      return value !== undefined && first !== undefined && second !== undefined && value >= first && value <= second;
    case 'DURING': {
      const [from, to] = durationRange(cond.values[0]?.value ?? '', today);
      return typeof value === 'string' && value >= from && value <= to;
    }
    case 'LIKE':
    case 'NOT LIKE': {
      const hit = value !== undefined && likeToRegExp(String(first)).test(String(value));
      return cond.op === 'LIKE' ? hit : !hit;
    }
    case 'REGEXP_MATCH':
    case 'NOT REGEXP_MATCH': {
      let re: RegExp;
      try {
        re = new RegExp(`^(?:${String(first)})$`);
      } catch {
        throw new GaqlError('BAD_VALUE', `Invalid regular expression: ${String(first)}.`);
      }
      const hit = value !== undefined && re.test(String(value));
      return cond.op === 'REGEXP_MATCH' ? hit : !hit;
    }
    default:
      return false;
  }
}

/**
 * The [from, to] range the conditions on a field restrict it to (dates as strings, datetimes as epoch
 * ms); an end is undefined when nothing bounds it.
 */
export function boundsOf(conds: Condition[], def: FieldDef, timeZone: string, today: string): { low?: Comparable; high?: Comparable } {
  let low: Comparable | undefined;
  let high: Comparable | undefined;
  const raise = (v: Comparable | undefined) => {
    if (v !== undefined && (low === undefined || v > low)) low = v;
  };
  const lower = (v: Comparable | undefined) => {
    if (v !== undefined && (high === undefined || v < high)) high = v;
  };
  for (const c of conds) {
    const vals = c.values.map((v) => coerce(def, v, timeZone));
    if (c.op === '=') {
      raise(vals[0]);
      lower(vals[0]);
    } else if (c.op === '>=' || c.op === '>') raise(vals[0]);
    else if (c.op === '<=' || c.op === '<') lower(vals[0]);
    else if (c.op === 'BETWEEN') {
      raise(vals[0]);
      lower(vals[1]);
    } else if (c.op === 'IN' && vals.length > 0) {
      const sorted = [...vals].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      raise(sorted[0]);
      lower(sorted[sorted.length - 1]);
    } else if (c.op === 'DURING') {
      const [from, to] = durationRange(c.values[0]?.value ?? '', today);
      raise(from);
      lower(to);
    }
  }
  return { ...(low !== undefined ? { low } : {}), ...(high !== undefined ? { high } : {}) };
}
