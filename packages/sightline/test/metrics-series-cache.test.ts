import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeriesCache } from '../src/metrics/series-cache.ts';

describe('series cache', () => {
  it('creates a value once per (first, second, slot) and finds it again', () => {
    const cache = new SeriesCache<{ id: string }>(10);
    let created = 0;
    const make = (id: string) => () => {
      created += 1;
      return { id };
    };
    const first = cache.get('orders.place', 'orders', 3, make('a'));
    assert.equal(cache.get('orders.place', 'orders', 3, make('b')), first);
    assert.notEqual(cache.get('orders.place', 'orders', 4, make('c')), first);
    assert.notEqual(cache.get('orders.place', 'billing', 3, make('d')), first);
    assert.notEqual(cache.get('orders.list', 'orders', 3, make('e')), first);
    assert.equal(created, 4);
  });

  it('empties itself past its bound and fills again, so unbounded keys cost no memory', () => {
    const cache = new SeriesCache<number>(3);
    let created = 0;
    const make = () => ++created;
    for (let i = 0; i < 3; i += 1) cache.get(`span-${i}`, '', 0, make);
    assert.equal(cache.get('span-0', '', 0, make), 1, 'still cached below the bound');
    assert.equal(cache.get('span-3', '', 0, make), 4, 'the fourth entry empties the cache first');
    assert.equal(cache.get('span-0', '', 0, make), 5, 'an entry from before is made again');
  });
});
