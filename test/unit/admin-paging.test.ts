import { describe, expect, it } from 'vitest';
import { cursorNav, linkTo, pageNav, pageNumber, slicePage } from '../../src/admin/paging';

/** Issue 13 "long lists paged": the console's server-side paging helper. */
describe('console paging (src/admin/paging.ts)', () => {
  it('reads ?page= as a positive integer, anything else as the first page', () => {
    expect(pageNumber('3')).toBe(3);
    for (const bad of [undefined, '', '0', '-2', '1.5', 'abc', ['2'], '9999999']) expect(pageNumber(bad), String(bad)).toBe(1);
  });

  it('slices a list into pages and answers the last page past the end', () => {
    const items = Array.from({ length: 45 }, (_, i) => i);
    expect(slicePage(items, 1, 20)).toEqual({ items: items.slice(0, 20), page: 1, pages: 3, total: 45 });
    expect(slicePage(items, 3, 20).items).toEqual(items.slice(40));
    expect(slicePage(items, 9, 20)).toMatchObject({ page: 3, items: items.slice(40) });
    expect(slicePage([], 1, 20)).toEqual({ items: [], page: 1, pages: 1, total: 0 });
  });

  it('links keep the other query parameters, drop empty ones and escape values', () => {
    expect(linkTo('/admin/reports', { accountId: 'facebook:act_1', from: '', to: undefined, page: '2' })).toBe('/admin/reports?accountId=facebook%3Aact_1&page=2');
    expect(linkTo('/admin/contacts', {})).toBe('/admin/contacts');
  });

  it('shows previous / next only where there is such a page, and nothing for a single page', () => {
    const items = Array.from({ length: 45 }, (_, i) => i);
    expect(pageNav('/x', {}, slicePage(items.slice(0, 5), 1, 20))).toBe('');
    const middle = String(pageNav('/x', { q: 'a"b' }, slicePage(items, 2, 20)));
    expect(middle).toContain('href="/x?q=a%22b&amp;page=1"');
    expect(middle).toContain('href="/x?q=a%22b&amp;page=3"');
    expect(middle).toContain('Page 2 of 3 (45)');
    const last = String(pageNav('/x', {}, slicePage(items, 3, 20)));
    expect(last).not.toContain('Next page');
  });

  it('cursor lists link to the first page and to the next cursor', () => {
    expect(cursorNav('/c', {}, { nextCursor: null })).toBe('');
    const first = String(cursorNav('/c', { email: 'x' }, { nextCursor: 'id-20' }));
    expect(first).toContain('href="/c?email=x&amp;cursor=id-20"');
    expect(first).not.toContain('First page</a>');
    const later = String(cursorNav('/c', { email: 'x' }, { cursor: 'id-20', nextCursor: null }));
    expect(later).toContain('href="/c?email=x"');
    expect(later).not.toContain('Next page');
  });
});
