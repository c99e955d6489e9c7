import { deflateSync, gzipSync } from 'node:zlib';

/**
 * A generated corpus of malformed requests over the API's routes (issue 15 #13, acceptance 3):
 * every route of the README with a valid example, mutated one way at a time — bodies (invalid JSON,
 * wrong types, huge numbers, unicode, prototype-pollution keys, arrays for scalars, deep nesting),
 * content types, charsets and encodings (gzip/deflate/br garbage), path parameters and queries
 * (bad percent-encoding, repeated keys, huge values). Deterministic: the same corpus every run.
 */
export interface FuzzRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** With `{param}` placeholders for path parameters. */
  path: string;
  params?: Record<string, string>;
  body?: Record<string, unknown>;
  query?: Record<string, string>;
  /** Public routes get no admin token. */
  public?: boolean;
}

export interface FuzzCase {
  route: string;
  mutation: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Values that replace one field at a time: wrong types, extremes, unicode, injection shapes. */
const FIELD_VALUES: [string, unknown][] = [
  ['null', null],
  ['true', true],
  ['zero', 0],
  ['negative', -1],
  ['float', 1.5],
  ['huge', 1e308],
  ['unsafe-int', 2 ** 53 + 1],
  ['empty', ''],
  ['spaces', '   '],
  ['long', 'x'.repeat(20_000)],
  ['nul', 'a\u0000b'],
  ['emoji', '💥🧨'],
  ['lone-surrogate', '\ud800'],
  ['rtl', '\u202eevil'],
  ['traversal', '../../../etc/passwd'],
  ['mongo-operator', { $gt: '' }],
  ['mongo-where', { $where: 'sleep(1000)' }],
  ['array', ['a', 'b']],
  ['empty-array', []],
  ['object', { nested: { deeper: true } }],
  ['bad-date', '2026-13-45T99:99:99Z'],
  ['script', '<script>alert(1)</script>'],
  ['js-url', 'javascript:alert(1)'],
  ['percent', '%E0%A4%A'],
];

const RAW_BODIES: [string, string][] = [
  ['truncated', '{"a":'],
  ['not-json', 'hello'],
  ['empty', ''],
  ['null', 'null'],
  ['array', '[]'],
  ['string', '"just a string"'],
  ['number', '42'],
  ['nan', '{"a":NaN}'],
  ['trailing-comma', '{"a":1,}'],
  ['single-quotes', "{'a':1}"],
  ['bom', '\ufeff{}'],
  ['nul-byte', '{"a":"\u0000"}'],
  ['escaped-lone-surrogate', '{"a":"\\ud800"}'],
  ['proto', '{"__proto__":{"polluted":true}}'],
  ['constructor-prototype', '{"constructor":{"prototype":{"polluted":true}}}'],
  ['deep-object', deepObject(5_000)],
  ['deep-array', deepArray(50_000)],
  ['wide-array', `[${'1,'.repeat(20_000)}1]`],
  ['many-keys', `{${Array.from({ length: 5_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`],
  ['duplicate-keys', '{"a":1,"a":{"b":2}}'],
  ['big-number', `{"a":1${'0'.repeat(400)}}`],
];

const GARBAGE = Buffer.from('definitely not compressed');
const ENCODED_BODIES: [string, Record<string, string>, Uint8Array][] = [
  ['gzip-garbage', { 'content-encoding': 'gzip' }, GARBAGE],
  ['deflate-garbage', { 'content-encoding': 'deflate' }, GARBAGE],
  ['br-garbage', { 'content-encoding': 'br' }, GARBAGE],
  ['zstd', { 'content-encoding': 'zstd' }, GARBAGE],
  ['gzip-truncated', { 'content-encoding': 'gzip' }, gzipSync('{"a":1}').subarray(0, 12)],
  ['deflate-of-garbage-json', { 'content-encoding': 'deflate' }, deflateSync('{"a":')],
  ['double-encoding', { 'content-encoding': 'gzip, gzip' }, gzipSync('{}')],
];

const CONTENT_TYPES: [string, string][] = [
  ['text-plain', 'text/plain'],
  ['form', 'application/x-www-form-urlencoded'],
  ['multipart', 'multipart/form-data; boundary=xyz'],
  ['xml', 'application/xml'],
  ['charset-latin1', 'application/json; charset=latin1'],
  ['charset-utf16', 'application/json; charset=utf-16'],
  ['charset-bogus', 'application/json; charset=klingon'],
  ['malformed', 'application/json; charset'],
  ['garbage', '!!!/???'],
];

const PATH_VALUES: [string, string][] = [
  ['bad-percent', '%E0%A4%A'],
  ['lone-percent', '%'],
  ['nul', '%00'],
  ['encoded-slash', '..%2F..%2Fetc'],
  ['long', 'x'.repeat(5_000)],
  ['emoji', '%F0%9F%92%A5'],
  ['proto', '__proto__'],
  ['constructor', 'constructor'],
  ['mongo', '%7B%22%24gt%22%3A%22%22%7D'],
  ['negative', '-1'],
  ['overflow', '1e309'],
  ['space', '%20'],
];

const QUERY_VALUES: [string, (key: string) => string][] = [
  ['bad-percent', (k) => `${k}=%E0%A4%A`],
  ['repeated', (k) => `${k}=1&${k}=2`],
  ['bracket-array', (k) => `${k}[]=1`],
  ['bracket-object', (k) => `${k}[$gt]=`],
  ['empty', (k) => `${k}=`],
  ['long', (k) => `${k}=${'y'.repeat(5_000)}`],
  ['negative', (k) => `${k}=-5`],
  ['overflow', (k) => `${k}=1e309`],
  ['unicode', (k) => `${k}=%F0%9F%92%A5`],
  ['nul', (k) => `${k}=%00`],
];

const fill = (path: string, params: Record<string, string>, override?: [string, string]) =>
  path.replace(/\{(\w+)\}/g, (_m, name: string) => (override && override[0] === name ? override[1] : encodeURIComponent(params[name] ?? 'x')));

const queryString = (query: Record<string, string>) => new URLSearchParams(query).toString();

export function buildCorpus(routes: FuzzRoute[], adminToken: string): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (const route of routes) {
    const name = `${route.method} ${route.path}`;
    const auth: Record<string, string> = route.public ? {} : { authorization: `Bearer ${adminToken}` };
    const params = route.params ?? {};
    const baseQuery = route.query ? `?${queryString(route.query)}` : '';
    const add = (mutation: string, path: string, headers: Record<string, string>, body?: string | Uint8Array) =>
      cases.push({ route: name, mutation, method: route.method, path, headers: { ...auth, ...headers }, ...(body !== undefined ? { body } : {}) });
    const json = { 'content-type': 'application/json' };
    const basePath = fill(route.path, params);

    for (const param of Object.keys(params)) {
      for (const [label, value] of PATH_VALUES) add(`path ${param}=${label}`, `${fill(route.path, params, [param, value])}${baseQuery}`, route.body ? json : {}, route.body ? JSON.stringify(route.body) : undefined);
    }
    for (const key of [...Object.keys(route.query ?? {}), 'unexpected']) {
      for (const [label, make] of QUERY_VALUES) {
        const rest = Object.fromEntries(Object.entries(route.query ?? {}).filter(([k]) => k !== key));
        const qs = [queryString(rest), make(key)].filter(Boolean).join('&');
        add(`query ${key}=${label}`, `${basePath}?${qs}`, route.body ? json : {}, route.body ? JSON.stringify(route.body) : undefined);
      }
    }
    if (route.method === 'GET' || route.method === 'DELETE') continue;

    const body = route.body ?? {};
    for (const field of Object.keys(body)) {
      for (const [label, value] of FIELD_VALUES) add(`field ${field}=${label}`, basePath, json, JSON.stringify({ ...body, [field]: value }));
      const { [field]: _dropped, ...without } = body;
      add(`field ${field} missing`, basePath, json, JSON.stringify(without));
    }
    for (const [label, raw] of RAW_BODIES) add(`body ${label}`, basePath, json, raw);
    for (const [label, headers, raw] of ENCODED_BODIES) add(`encoding ${label}`, basePath, { ...json, ...headers }, raw);
    for (const [label, type] of CONTENT_TYPES) add(`content-type ${label}`, basePath, { 'content-type': type }, JSON.stringify(body));
    add('body oversized', basePath, json, JSON.stringify({ ...body, pad: 'z'.repeat(1_200_000) }));
  }
  return cases;
}
