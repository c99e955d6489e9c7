import type { Request } from 'express';
import { rawBodyOf } from '../kit/sandbox-app';
import { RestliHttpError } from './errors';

/**
 * Rest.li 2.0 query values (reference §0): `List(a,b)`, records `(key:value)`, nesting allowed.
 * The structural characters `( ) , :` stay literal; everything else inside is percent-encoded, so
 * a client that lets its HTTP library re-encode the parentheses sends a plain string, not a list.
 */
export type RestliValue = string | RestliValue[] | { [key: string]: RestliValue };

const STRUCTURAL = new Set(['(', ')', ',', ':']);

export function parseRestliValue(raw: string): RestliValue {
  let pos = 0;
  const fail = (why: string): never => {
    throw new RestliHttpError(400, `Invalid Rest.li value "${raw}": ${why} at ${pos}`);
  };
  const peek = () => raw[pos];

  const readLeaf = (): string => {
    const start = pos;
    while (pos < raw.length && !STRUCTURAL.has(raw[pos] as string)) pos += 1;
    try {
      return decodeURIComponent(raw.slice(start, pos));
    } catch {
      return fail('bad percent-encoding');
    }
  };

  const parseValue = (): RestliValue => {
    if (raw.startsWith('List(', pos)) {
      pos += 5;
      const items: RestliValue[] = [];
      if (peek() === ')') {
        pos += 1;
        return items;
      }
      for (;;) {
        items.push(parseValue());
        if (peek() === ',') pos += 1;
        else if (peek() === ')') {
          pos += 1;
          return items;
        } else fail('expected , or )');
      }
    }
    if (peek() === '(') {
      pos += 1;
      const record: Record<string, RestliValue> = {};
      if (peek() === ')') {
        pos += 1;
        return record;
      }
      for (;;) {
        const key = readLeaf();
        if (!key || peek() !== ':') fail('expected key:value');
        pos += 1;
        record[key] = parseValue();
        if (peek() === ',') pos += 1;
        else if (peek() === ')') {
          pos += 1;
          return record;
        } else fail('expected , or )');
      }
    }
    return readLeaf();
  };

  const value = parseValue();
  if (pos !== raw.length) fail('unexpected character');
  return value;
}

const TUNNELLED_QUERY = Symbol('linkedin.tunnelledQuery');

/** Query tunnelling (§0): a POST with X-HTTP-Method-Override carries the query string as its body. */
export function applyQueryTunnelling(req: Request): void {
  const override = req.get('x-http-method-override');
  if (req.method !== 'POST' || !override) return;
  (req as Request & { [TUNNELLED_QUERY]?: string })[TUNNELLED_QUERY] = rawBodyOf(req)?.toString('utf8') ?? '';
  req.method = override.toUpperCase();
}

export function isTunnelled(req: Request): boolean {
  return (req as Request & { [TUNNELLED_QUERY]?: string })[TUNNELLED_QUERY] !== undefined;
}

/** The raw query string: from the URL, or from the body of a tunnelled request. */
export function rawQueryString(req: Request): string {
  const tunnelled = (req as Request & { [TUNNELLED_QUERY]?: string })[TUNNELLED_QUERY];
  if (tunnelled !== undefined) return tunnelled;
  const at = req.originalUrl.indexOf('?');
  return at < 0 ? '' : req.originalUrl.slice(at + 1);
}

/** The query of one request, parsed the Rest.li 2.0 way from the raw (still encoded) string. */
export class RestliQuery {
  private readonly raw = new Map<string, string>();

  constructor(req: Request) {
    for (const part of rawQueryString(req).split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      this.raw.set(key, eq < 0 ? '' : part.slice(eq + 1));
    }
  }

  has(name: string): boolean {
    return this.raw.has(name);
  }

  value(name: string): RestliValue | undefined {
    const raw = this.raw.get(name);
    return raw === undefined ? undefined : parseRestliValue(raw);
  }

  string(name: string): string | undefined {
    const value = this.value(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new RestliHttpError(400, `Query parameter ${name} must be a single value`);
    return value;
  }

  int(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value)) throw new RestliHttpError(400, `Query parameter ${name} must be an integer`);
    return Number(value);
  }

  bool(name: string): boolean | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (value !== 'true' && value !== 'false') throw new RestliHttpError(400, `Query parameter ${name} must be true or false`);
    return value === 'true';
  }

  /** A `List(...)` parameter; absent → undefined. A bare value is not a list in Rest.li 2.0. */
  list(name: string): string[] | undefined {
    const value = this.value(name);
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      throw new RestliHttpError(400, `Query parameter ${name} must be a List(...) of values`);
    }
    return value as string[];
  }

  record(name: string): Record<string, RestliValue> | undefined {
    const value = this.value(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new RestliHttpError(400, `Query parameter ${name} must be a record (key:value)`);
    }
    return value;
  }

  /** `fields=a,b` projection (top-level field names). */
  fields(): string[] | undefined {
    const raw = this.raw.get('fields');
    return raw === undefined ? undefined : raw.split(',').map((f) => decodeURIComponent(f.trim())).filter(Boolean);
  }
}

/** Values of a search facet `(field:(values:List(...)))`. */
export function facetValues(search: Record<string, RestliValue> | undefined, field: string): string[] | undefined {
  const facet = search?.[field];
  if (facet === undefined) return undefined;
  if (typeof facet === 'object' && !Array.isArray(facet) && Array.isArray(facet.values)) {
    return facet.values.filter((v): v is string => typeof v === 'string');
  }
  throw new RestliHttpError(400, `search.${field} must be (values:List(...))`);
}

// ---- URNs -------------------------------------------------------------------------------------

export const urn = {
  account: (id: number) => `urn:li:sponsoredAccount:${id}`,
  group: (id: number) => `urn:li:sponsoredCampaignGroup:${id}`,
  campaign: (id: number) => `urn:li:sponsoredCampaign:${id}`,
  creative: (id: number) => `urn:li:sponsoredCreative:${id}`,
  leadForm: (id: number) => `urn:li:leadGenForm:${id}`,
  adForm: (id: number) => `urn:li:adForm:${id}`,
  versionedForm: (id: number, version: number) => `urn:li:versionedLeadGenForm:(urn:li:leadGenForm:${id},${version})`,
  conversion: (id: number) => `urn:lla:llaPartnerConversion:${id}`,
};

/** Numeric id from `urn:li:<type>:<id>` of the expected type; undefined when it is not one. */
export function idFromUrn(value: string, type: string): number | undefined {
  const match = new RegExp(`^urn:(?:li|lla):${type}:(\\d+)$`).exec(value);
  return match ? Number(match[1]) : undefined;
}

/**
 * A key taken from the path. Express has already percent-decoded it; the raw path must not carry
 * literal colons, because Rest.li 2.0 needs URNs encoded in paths (`urn%3Ali%3A...`).
 */
export function pathKey(req: Request, decoded: string): string {
  const rawPath = req.originalUrl.split('?')[0] ?? '';
  if (decoded.includes(':') && rawPath.includes(decoded)) {
    throw new RestliHttpError(400, `Invalid resource key "${decoded}": URNs in paths must be percent-encoded`);
  }
  return decoded;
}
