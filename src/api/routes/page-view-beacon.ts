/**
 * The page-view beacon's fast path (VIS-1, issue 12 P8). A page view is the one request a busy site
 * sends thousands of times a second, and the general Express route (router, body-parser, zod,
 * `res.json` with its ETag, the route-template metrics) cost more API CPU than the page view's
 * share of the database write. The common beacon — `POST /t/pageview`, a small UTF-8 JSON or
 * text/plain body, no content encoding — is answered here, before the router; anything else (a
 * preflight, a query string, a gzip body, another charset, a body announced larger than the limit)
 * goes on to the general route, which answers it as before. Both share the origin check, the rate
 * limits, the input rules and the error envelope: errors go to the app's error handler.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { parseVisitorToken } from '../../domain/visitors';
import { countProductEvent } from '../../metrics/http';
import { httpRequestDuration } from '../../metrics/registry';
import { parseJsonText } from '../body';
import { ApiError } from '../errors';
import type { pageViewSchema } from './visitors';

export type PageViewBody = z.output<typeof pageViewSchema>;

const PATH = '/t/pageview';
const KEYS = new Set(['visitorToken', 'url', 'referrer', 'title', 'pageViewId']);
const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;
/** The content types the general route reads, in UTF-8 (its only charset) and without parameters beyond it. */
const SIMPLE_TYPE = /^\s*(application\/json|text\/plain)\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
/** body-parser's strict JSON: an object or array, after optional whitespace. */
const JSON_START = /^[ \t\n\r]*[{[]/;
/** A string, not a Buffer: Node then sends the headers and the body in one write instead of a writev of two. */
const ACCEPTED = JSON.stringify({ accepted: true });

const optionalString = (value: unknown, max: number) => value === undefined || (typeof value === 'string' && value.length <= max);

/**
 * The page view in `body` when it certainly passes `pageViewSchema` (the same output), else null —
 * the caller then lets the schema decide and word the error. Never more lenient than the schema
 * (test/unit/page-view-beacon.test.ts compares them).
 */
export function quickPageView(body: unknown): PageViewBody | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const fields = body as Record<string, unknown>;
  // `in`, as the schema reads keys: inherited ones count too.
  for (const key in fields) if (!KEYS.has(key)) return null;
  const { visitorToken, url, referrer, title, pageViewId } = fields;
  const token = typeof visitorToken === 'string' ? parseVisitorToken(visitorToken) : null;
  if (token === null || typeof url !== 'string' || url.length < 1 || url.length > 8192) return null;
  if (!optionalString(referrer, 8192) || !optionalString(title, 2000)) return null;
  if (pageViewId !== undefined && (typeof pageViewId !== 'string' || !CLIENT_ID.test(pageViewId))) return null;
  return { visitorToken: token, url, referrer: referrer as string | undefined, title: title as string | undefined, pageViewId: pageViewId };
}

function isSimpleBeacon(req: Request, limitBytes: number): boolean {
  if (req.method !== 'POST' || req.url !== PATH) return false;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  const type = req.headers['content-type'];
  if (type === undefined || !SIMPLE_TYPE.test(type)) return false;
  const length = req.headers['content-length'];
  return length === undefined || Number(length) <= limitBytes;
}

/** The body as the general route's parsers would give it to the schema, or their 4xx. */
function parseBody(raw: string, type: string): unknown {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (/^\s*text\//i.test(type)) return parseJsonText(text);
  if (text.length === 0) return {};
  if (!JSON_START.test(text)) throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON');
  return parseJsonText(text);
}

function readBody(req: Request, limitBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) return void chunks.push(chunk);
      // Refused at once, as body-parser does; Node discards the rest of the body.
      req.off('data', onData);
      reject(new ApiError(413, 'payload_too_large', 'The request body is too large', { limitBytes }));
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('aborted', () => reject(new ApiError(400, 'incomplete_body', 'The request body ended before its announced length')));
    req.on('error', reject);
  });
}

export interface BeaconDeps {
  limitBytes: number;
  /** The tracking endpoints' origin check (CORS_SITE_ORIGINS): sets the CORS headers, or passes a 403. */
  cors: (req: Request, res: Response, next: (error?: unknown) => void) => void;
  /** Validates, rate-limits and stores the page view; resolves once it is durable. */
  accept: (req: Request, res: Response, body: unknown) => Promise<void>;
}

export function pageViewBeacon(deps: BeaconDeps): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!isSimpleBeacon(req, deps.limitBytes)) return next();
    // Counted as the general route counts it (src/metrics/http.ts), under the same route label.
    const end = httpRequestDuration.startTimer();
    res.once('finish', () => {
      end({ method: 'POST', route: PATH, status: String(res.statusCode) });
      countProductEvent('POST', PATH, res.statusCode);
    });
    let refused: unknown;
    deps.cors(req, res, (error) => (refused = error));
    if (refused !== undefined) return next(refused);
    readBody(req, deps.limitBytes)
      .then((raw) => deps.accept(req, res, parseBody(raw, req.headers['content-type']!)))
      .then(() => {
        res.writeHead(202, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(ACCEPTED) });
        res.end(ACCEPTED);
      }, next);
  };
}
