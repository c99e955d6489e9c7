import { describe, expect, it } from 'vitest';
import { parseFields } from '../../src/sandboxes/facebook/fields';
import { GraphError } from '../../src/sandboxes/facebook/graph-error';
import { paginate } from '../../src/sandboxes/facebook/paging';

describe('§0 fields parameter', () => {
  it('parses nested braces and ignores modifiers', () => {
    expect(parseFields('id,name,creative{id,object_story_spec{link_data}},insights.date_preset(maximum){actions},comments.summary(true).limit(5)')).toEqual([
      { name: 'id' },
      { name: 'name' },
      { name: 'creative', children: [{ name: 'id' }, { name: 'object_story_spec', children: [{ name: 'link_data' }] }] },
      { name: 'insights', children: [{ name: 'actions' }] },
      { name: 'comments' },
    ]);
  });

  it('rejects unbalanced braces with a code 100 error', () => {
    expect(() => parseFields('id,creative{id')).toThrow(GraphError);
    expect(() => parseFields('id}')).toThrow(GraphError);
  });
});

describe('§0 cursor paging', () => {
  const items = Array.from({ length: 7 }, (_, i) => ({ id: String(i + 1) }));
  const links = (params: Record<string, unknown>) => ({ baseUrl: 'http://h', path: 'v25.0/act_1/ads', params });

  it('walks forward with after until next disappears', () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = paginate(items, (i) => i.id, links({ limit: 3, ...(after ? { after } : {}) }));
      seen.push(...page.data.map((i) => i.id));
      after = page.paging?.next ? page.paging.cursors.after : undefined;
      pages += 1;
    } while (after);
    expect(seen).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(pages).toBe(3);
  });

  it('next carries the caller params with the new cursor; before walks back', () => {
    const first = paginate(items, (i) => i.id, links({ limit: 3, fields: 'id' }));
    const next = new URL(first.paging!.next!);
    expect(next.pathname).toBe('/v25.0/act_1/ads');
    expect(next.searchParams.get('fields')).toBe('id');
    const second = paginate(items, (i) => i.id, links({ limit: 3, after: next.searchParams.get('after') }));
    const back = paginate(items, (i) => i.id, links({ limit: 3, before: second.paging!.cursors.before }));
    expect(back.data.map((i) => i.id)).toEqual(['1', '2', '3']);
  });

  it('a cursor whose item is gone is an error', () => {
    const page = paginate(items, (i) => i.id, links({ limit: 2 }));
    expect(() => paginate(items.slice(2), (i) => i.id, links({ after: page.paging!.cursors.after }))).toThrow(GraphError);
  });
});
