/**
 * Parser for the GAQL subset the sandbox serves (reference §2.4):
 * SELECT f, ... FROM resource [WHERE cond AND ...] [ORDER BY f [ASC|DESC], ...] [LIMIT n] [PARAMETERS k = v]
 * Errors carry Google's queryError enum names.
 */

export class GaqlError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly family = 'queryError',
    readonly trigger?: string,
  ) {
    super(message);
  }
}

export type Literal = { kind: 'string'; value: string } | { kind: 'number'; value: string } | { kind: 'word'; value: string };

export type Operator =
  | '='
  | '!='
  | '>'
  | '>='
  | '<'
  | '<='
  | 'IN'
  | 'NOT IN'
  | 'LIKE'
  | 'NOT LIKE'
  | 'CONTAINS ANY'
  | 'CONTAINS ALL'
  | 'CONTAINS NONE'
  | 'IS NULL'
  | 'IS NOT NULL'
  | 'DURING'
  | 'BETWEEN'
  | 'REGEXP_MATCH'
  | 'NOT REGEXP_MATCH';

export interface Condition {
  field: string;
  op: Operator;
  /** One literal, a list (IN, CONTAINS), a pair (BETWEEN) or none (IS NULL). */
  values: Literal[];
}

export interface Ordering {
  field: string;
  descending: boolean;
}

export interface GaqlQuery {
  select: string[];
  from: string;
  where: Condition[];
  orderBy: Ordering[];
  limit?: number;
  parameters: Record<string, string>;
}

type Token = { type: 'ident' | 'string' | 'number' | 'punct' | 'op'; text: string };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let value = '';
      let j = i + 1;
      for (; j < query.length && query[j] !== ch; j++) {
        const c = query[j];
        if (c === '\n') throw new GaqlError('PROHIBITED_NEWLINE_IN_STRING', 'Query has a string containing a newline character.');
        if (c === '\\') {
          const next = query[j + 1];
          if (next === undefined || !"\\'\"%_".includes(next)) throw new GaqlError('BAD_ESCAPE_SEQUENCE', 'Query contains an invalid escape sequence.');
          value += next === '%' || next === '_' ? `\\${next}` : next;
          j++;
        } else value += c;
      }
      if (j >= query.length) throw new GaqlError('STRING_NOT_TERMINATED', 'Query contains unterminated string.');
      tokens.push({ type: 'string', text: value });
      i = j + 1;
      continue;
    }
    const number = /^-?\d+(?:\.\d+)?/.exec(query.slice(i));
    if (number && (ch !== '-' || /\d/.test(query[i + 1] ?? ''))) {
      tokens.push({ type: 'number', text: number[0] });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(query.slice(i));
    if (ident) {
      tokens.push({ type: 'ident', text: ident[0] });
      i += ident[0].length;
      continue;
    }
    const op = /^(!=|>=|<=|=|>|<)/.exec(query.slice(i));
    if (op) {
      tokens.push({ type: 'op', text: op[0] });
      i += op[0].length;
      continue;
    }
    if ('(),'.includes(ch)) {
      tokens.push({ type: 'punct', text: ch });
      i++;
      continue;
    }
    throw new GaqlError('BAD_SYMBOL', `Non-ASCII or unexpected symbol '${ch}' encountered outside of strings.`);
  }
  return tokens;
}

class Cursor {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }
  next(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new GaqlError('UNEXPECTED_END_OF_QUERY', 'Query is incomplete and cannot be parsed.');
    return t;
  }
  atKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.type === 'ident' && t.text.toUpperCase() === word;
  }
  takeKeyword(word: string): boolean {
    if (!this.atKeyword(word)) return false;
    this.i++;
    return true;
  }
  atPunct(p: string): boolean {
    const t = this.peek();
    return t?.type === 'punct' && t.text === p;
  }
  done(): boolean {
    return this.i >= this.tokens.length;
  }
}

const FIELD = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

function field(c: Cursor): string {
  const t = c.next();
  if (t.type !== 'ident' || !FIELD.test(t.text)) throw new GaqlError('BAD_FIELD_NAME', `Field name is invalid: '${t.text}'.`);
  return t.text;
}

function literal(c: Cursor): Literal {
  const t = c.next();
  if (t.type === 'string') return { kind: 'string', value: t.text };
  if (t.type === 'number') return { kind: 'number', value: t.text };
  if (t.type === 'ident') return { kind: 'word', value: t.text };
  throw new GaqlError('BAD_VALUE', `Value is invalid: '${t.text}'.`);
}

function list(c: Cursor): Literal[] {
  if (!c.atPunct('(')) throw new GaqlError('EXPECTED_LIST', 'The operator used in the conditions requires the value to be a list.');
  c.next();
  const values: Literal[] = [];
  if (c.atPunct(')')) throw new GaqlError('PROHIBITED_EMPTY_LIST_IN_CONDITION', 'A Condition was found with an empty list.');
  for (;;) {
    values.push(literal(c));
    const t = c.next();
    if (t.type === 'punct' && t.text === ')') return values;
    if (t.type !== 'punct' || t.text !== ',') throw new GaqlError('UNEXPECTED_INPUT', `Query has an unexpected extra part: '${t.text}'.`);
  }
}

function single(c: Cursor): Literal {
  if (c.atPunct('(')) throw new GaqlError('EXPECTED_SINGLE_VALUE', 'A list was passed as a value to a condition whose operator expects a single value.');
  return literal(c);
}

function condition(c: Cursor): Condition {
  const f = field(c);
  const t = c.next();
  if (t.type === 'op') return { field: f, op: t.text as Operator, values: [single(c)] };
  if (t.type !== 'ident') throw new GaqlError('BAD_OPERATOR', `Invalid operator encountered: '${t.text}'.`);
  const word = t.text.toUpperCase();
  if (word === 'IN') return { field: f, op: 'IN', values: list(c) };
  if (word === 'LIKE') return { field: f, op: 'LIKE', values: [single(c)] };
  if (word === 'REGEXP_MATCH') return { field: f, op: 'REGEXP_MATCH', values: [single(c)] };
  if (word === 'DURING') return { field: f, op: 'DURING', values: [single(c)] };
  if (word === 'NOT') {
    const n = c.next().text.toUpperCase();
    if (n === 'IN') return { field: f, op: 'NOT IN', values: list(c) };
    if (n === 'LIKE') return { field: f, op: 'NOT LIKE', values: [single(c)] };
    if (n === 'REGEXP_MATCH') return { field: f, op: 'NOT REGEXP_MATCH', values: [single(c)] };
    throw new GaqlError('BAD_OPERATOR', `Invalid operator encountered: 'NOT ${n}'.`);
  }
  if (word === 'IS') {
    if (c.takeKeyword('NOT')) {
      if (!c.takeKeyword('NULL')) throw new GaqlError('BAD_OPERATOR', 'Invalid operator encountered: IS NOT ...');
      return { field: f, op: 'IS NOT NULL', values: [] };
    }
    if (!c.takeKeyword('NULL')) throw new GaqlError('BAD_OPERATOR', 'Invalid operator encountered: IS ...');
    return { field: f, op: 'IS NULL', values: [] };
  }
  if (word === 'CONTAINS') {
    const mode = c.next().text.toUpperCase();
    if (mode !== 'ANY' && mode !== 'ALL' && mode !== 'NONE') throw new GaqlError('BAD_OPERATOR', `Invalid operator encountered: 'CONTAINS ${mode}'.`);
    return { field: f, op: `CONTAINS ${mode}`, values: list(c) };
  }
  if (word === 'BETWEEN') {
    const low = single(c);
    if (!c.takeKeyword('AND')) throw new GaqlError('EXPECTED_AND', 'Expected AND between values with BETWEEN operator.');
    if (c.done()) throw new GaqlError('EXPECTED_VALUE_WITH_BETWEEN_OPERATOR', 'Missing one or both values with BETWEEN operator.');
    return { field: f, op: 'BETWEEN', values: [low, single(c)] };
  }
  throw new GaqlError('BAD_OPERATOR', `Invalid operator encountered: '${t.text}'.`);
}

export function parseGaql(query: string): GaqlQuery {
  const c = new Cursor(tokenize(query));
  if (!c.takeKeyword('SELECT')) throw new GaqlError('EXPECTED_SELECT', 'SELECT is missing at the beginning of query.');
  const select = [field(c)];
  while (c.atPunct(',')) {
    c.next();
    select.push(field(c));
  }
  if (!c.takeKeyword('FROM')) throw new GaqlError('EXPECTED_FROM', 'Missing FROM clause.');
  const fromToken = c.next();
  if (fromToken.type !== 'ident') throw new GaqlError('BAD_RESOURCE_TYPE_IN_FROM_CLAUSE', 'Invalid resource type was specified in the FROM clause.');
  const parsed: GaqlQuery = { select, from: fromToken.text, where: [], orderBy: [], parameters: {} };
  if (c.takeKeyword('WHERE')) {
    parsed.where.push(condition(c));
    while (c.takeKeyword('AND')) parsed.where.push(condition(c));
    if (c.atKeyword('OR')) throw new GaqlError('UNEXPECTED_INPUT', 'GAQL supports only AND between conditions.');
  }
  if (c.takeKeyword('ORDER')) {
    if (!c.takeKeyword('BY')) throw new GaqlError('EXPECTED_BY', 'Expecting ORDER BY to have BY.');
    for (;;) {
      const f = field(c);
      const descending = c.takeKeyword('DESC');
      if (!descending) c.takeKeyword('ASC');
      parsed.orderBy.push({ field: f, descending });
      if (!c.atPunct(',')) break;
      c.next();
    }
  }
  if (c.takeKeyword('LIMIT')) {
    const t = c.next();
    if (t.type !== 'number' || !/^\d+$/.test(t.text)) throw new GaqlError('BAD_LIMIT_VALUE', 'Limit value is invalid (for example, not a number)');
    if (Number(t.text) < 1) throw new GaqlError('LIMIT_VALUE_TOO_LOW', 'The value passed to the limit clause is too low.');
    parsed.limit = Number(t.text);
  }
  if (c.takeKeyword('PARAMETERS')) {
    for (;;) {
      const name = c.next().text;
      const eq = c.next();
      if (eq.text !== '=') throw new GaqlError('BAD_PARAMETER_VALUE', 'Parameter have invalid value.');
      const value = c.next().text;
      if (name !== 'include_drafts' && name !== 'omit_unselected_resource_names') throw new GaqlError('BAD_PARAMETER_NAME', `Parameter unknown or not supported: ${name}.`);
      parsed.parameters[name] = value;
      if (!c.atPunct(',')) break;
      c.next();
    }
  }
  if (!c.done()) throw new GaqlError('UNEXPECTED_INPUT', `Query has an unexpected extra part: '${c.peek()?.text ?? ''}'.`);
  return parsed;
}
