/** PostgreSQL prepared statements: LIMIT (and OFFSET 0) written into the text so generic plans know the page size. */
import { describe, expect, it } from 'vitest';
import { inlinePaging } from '../src/db/postgres/prepared-statements.js';

describe('inlinePaging', () => {
  it('writes trailing LIMIT and OFFSET parameters in as numbers', () => {
    const text = 'select "r".* from t as r where r.id in (select id from t where c = $1 and u = $2 order by x limit $3 offset $4) order by x';
    expect(inlinePaging(text, ['c', 'u', 100, 0])).toEqual({ text: text.replace('limit $3 offset $4', 'limit 100 offset 0'), values: ['c', 'u'] });
    expect(inlinePaging('select 1 from t where a = $1 limit $2', ['a', 5])).toEqual({ text: 'select 1 from t where a = $1 limit 5', values: ['a'] });
  });

  it('keeps a deeper OFFSET as a parameter, renumbered after the others, so every offset shares one text', () => {
    const text = 'select "r".* from t as r where r.id in (select id from t where c = $1 and u = $2 order by x limit $3 offset $4) order by x';
    const page = (offset: number) => inlinePaging(text, ['c', 'u', 100, offset]);
    expect(page(4900)).toEqual({ text: text.replace('limit $3 offset $4', 'limit 100 offset $3'), values: ['c', 'u', 4900] });
    expect(page(200).text).toBe(page(4900).text);
    expect(inlinePaging('select 1 from t where a = $1 offset $2 limit $3', ['a', 7, 10])).toEqual({ text: 'select 1 from t where a = $1 offset $2 limit 10', values: ['a', 7] });
    expect(inlinePaging('select 1 from t offset $1', [7])).toEqual({ text: 'select 1 from t offset $1', values: [7] });
  });

  it('leaves the statement alone when other parameters follow, or a value is not a whole number', () => {
    const followed = 'select 1 from t where id in (select id from t limit $1) and b = $2';
    expect(inlinePaging(followed, [10, 'b'])).toEqual({ text: followed, values: [10, 'b'] });
    const odd = 'select 1 from t where a = $1 limit $2';
    expect(inlinePaging(odd, ['a', '5; drop table t'])).toEqual({ text: odd, values: ['a', '5; drop table t'] });
    expect(inlinePaging(odd, ['a', -1]).text).toBe(odd);
    expect(inlinePaging('select $1::int', [1]).text).toBe('select $1::int');
  });
});
