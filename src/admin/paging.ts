import { html, type SafeHtml } from './html';

/**
 * Server-side paging for console lists. Lists read in full from a service (a report's rows, the
 * definitions) are sliced by `?page=N`; lists the database pages itself pass their next cursor.
 * Either way the links keep the page's other query parameters.
 */

export interface PageOf<T> {
  items: T[];
  page: number;
  pages: number;
  total: number;
}

/** `?page=` as a positive integer; anything else is the first page (a stale link still shows something). */
export function pageNumber(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : 1;
  return Math.max(1, n);
}

/** The requested page of `items`; past the end it answers the last page. */
export function slicePage<T>(items: readonly T[], page: number, size: number): PageOf<T> {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(page, pages);
  return { items: items.slice((current - 1) * size, current * size), page: current, pages, total: items.length };
}

export type QueryParams = Record<string, string | undefined>;

export function linkTo(path: string, params: QueryParams): string {
  const query = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

function pager(label: string, links: { prev?: string | undefined; prevLabel?: string; next?: string | undefined; status: string }): SafeHtml {
  return html`<nav class="pager" aria-label="${label}">
    ${links.prev ? html`<a class="button" rel="prev" href="${links.prev}">${links.prevLabel ?? 'Previous page'}</a>` : ''}
    <span class="pager-status">${links.status}</span>
    ${links.next ? html`<a class="button" rel="next" href="${links.next}">Next page</a>` : ''}
  </nav>`;
}

/** Previous / next links for a sliced list (nothing when everything fits on one page). */
export function pageNav(path: string, params: QueryParams, slice: PageOf<unknown>, label = 'Pages'): SafeHtml | '' {
  if (slice.pages <= 1) return '';
  return pager(label, {
    prev: slice.page > 1 ? linkTo(path, { ...params, page: String(slice.page - 1) }) : undefined,
    next: slice.page < slice.pages ? linkTo(path, { ...params, page: String(slice.page + 1) }) : undefined,
    status: `Page ${slice.page} of ${slice.pages} (${slice.total})`,
  });
}

/** First-page / next links for a cursor-paged list. */
export function cursorNav(path: string, params: QueryParams, current: { cursor?: string | undefined; nextCursor: string | null }, label = 'Pages'): SafeHtml | '' {
  if (!current.cursor && !current.nextCursor) return '';
  return pager(label, {
    prev: current.cursor ? linkTo(path, { ...params, cursor: undefined }) : undefined,
    prevLabel: 'First page',
    next: current.nextCursor ? linkTo(path, { ...params, cursor: current.nextCursor }) : undefined,
    status: current.cursor ? 'Later page' : 'First page',
  });
}
