import { createHash } from 'node:crypto';
import { adsError, invalidArgument } from './envelope';
import { runQuery } from './gaql/engine';
import { GaqlError } from './gaql/parser';
import type { Customer, GoogleWorld } from './world';

/** googleAds:search (paged, reference §2.2) and googleAds:searchStream (batches, §2.3). */

interface PageToken {
  h: string;
  o: number;
}

const querySignature = (customerId: string, query: string) => createHash('sha1').update(`${customerId}\n${query}`).digest('base64url').slice(0, 16);

function run(world: GoogleWorld, customer: Customer, body: Record<string, unknown>) {
  const query = body.query;
  if (typeof query !== 'string' || query.trim() === '') {
    throw invalidArgument(adsError('fieldError', 'REQUIRED', 'The required field was not present.', [{ fieldName: 'query' }]));
  }
  try {
    return { query, ...runQuery(world, customer, query) };
  } catch (error) {
    if (error instanceof GaqlError) throw invalidArgument(adsError(error.family, error.code, error.message, undefined, error.trigger));
    throw error;
  }
}

export function search(world: GoogleWorld, customer: Customer, body: Record<string, unknown>): Record<string, unknown> {
  if (body.pageSize !== undefined) {
    throw invalidArgument(adsError('requestError', 'PAGE_SIZE_NOT_SUPPORTED', 'Setting the page size is not supported, and will be unavailable in a future version.'));
  }
  const { query, total, render, fieldMask } = run(world, customer, body);
  const signature = querySignature(customer.id, query);
  let offset = 0;
  if (typeof body.pageToken === 'string' && body.pageToken !== '') {
    let token: PageToken | undefined;
    try {
      token = JSON.parse(Buffer.from(body.pageToken, 'base64url').toString('utf8')) as PageToken;
    } catch {
      token = undefined;
    }
    if (!token || token.h !== signature || !Number.isInteger(token.o) || token.o < 0) {
      throw invalidArgument(adsError('requestError', 'INVALID_PAGE_TOKEN', 'Next page token specified in user request is invalid.', [{ fieldName: 'page_token' }]));
    }
    offset = token.o;
  }
  if (body.validateOnly === true) return { fieldMask };
  const pageSize = world.config.searchPageSize;
  const page = render(offset, offset + pageSize);
  const next = offset + pageSize < total ? Buffer.from(JSON.stringify({ h: signature, o: offset + pageSize })).toString('base64url') : undefined;
  const settings = (body.searchSettings ?? {}) as Record<string, unknown>;
  const wantsTotal = settings.returnTotalResultsCount === true || body.returnTotalResultsCount === true;
  return {
    // Empty repeated fields are omitted in proto3 JSON: no rows → no "results" key.
    ...(page.length > 0 ? { results: page } : {}),
    ...(next ? { nextPageToken: next } : {}),
    ...(wantsTotal ? { totalResultsCount: String(total) } : {}),
    fieldMask,
    queryResourceConsumption: String(50 + total),
  };
}

export function searchStream(world: GoogleWorld, customer: Customer, body: Record<string, unknown>, requestId: string): Record<string, unknown>[] {
  const { total, render, fieldMask } = run(world, customer, body);
  const size = world.config.searchPageSize;
  const batches: Record<string, unknown>[] = [];
  for (let i = 0; i < total || (i === 0 && batches.length === 0); i += size) {
    const results = render(i, i + size);
    batches.push({ ...(results.length > 0 ? { results } : {}), fieldMask, requestId });
  }
  return batches;
}
