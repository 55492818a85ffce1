/**
 * The Space-Saving algorithm (Metwally, Agrawal, El Abbadi, 2005): finds the
 * most frequent items of an unbounded stream while monitoring at most
 * `capacity` of them. An item not monitored replaces the one with the
 * smallest count and inherits that count plus one; the inherited part is
 * remembered as the item's possible over-count, so `count - error` is a
 * guaranteed lower bound of its true frequency.
 */
export class HeavyHitters {
  readonly #capacity: number;
  readonly #entries = new Map<string, { count: number; error: number }>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Counts one occurrence of `item`. O(1) when monitored, O(capacity) when it replaces another. */
  add(item: string): void {
    const entry = this.#entries.get(item);
    if (entry !== undefined) {
      entry.count += 1;
      return;
    }
    if (this.#entries.size < this.#capacity) {
      this.#entries.set(item, { count: 1, error: 0 });
      return;
    }
    const [minItem, minCount] = this.#min();
    this.#entries.delete(minItem);
    this.#entries.set(item, { count: minCount + 1, error: minCount });
  }

  /**
   * Up to `k` items, most frequent first, whose guaranteed count is above
   * the noise floor: the smallest monitored count once the counter is full
   * (an item at or below it may be a one-off that merely inherited its
   * count), zero before. A stream of distinct one-off items yields none.
   */
  top(k: number): Set<string> {
    const floor = this.#entries.size >= this.#capacity ? this.#min()[1] : 0;
    const ranked = [...this.#entries]
      .map(([item, { count, error }]) => [item, count - error] as const)
      .filter(([, guaranteed]) => guaranteed > floor)
      .sort((a, b) => b[1] - a[1]);
    return new Set(ranked.slice(0, k).map(([item]) => item));
  }

  #min(): readonly [string, number] {
    let minItem = '';
    let minCount = Infinity;
    for (const [item, { count }] of this.#entries) {
      if (count < minCount) {
        minItem = item;
        minCount = count;
      }
    }
    return [minItem, minCount];
  }
}
