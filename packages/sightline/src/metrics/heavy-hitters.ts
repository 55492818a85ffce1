/**
 * The Space-Saving algorithm (Metwally, Agrawal, El Abbadi, 2005): finds the
 * most frequent items of an unbounded stream while monitoring at most
 * `capacity` of them. An item not monitored replaces the one with the
 * smallest count and inherits that count plus one, so counts are never
 * under-estimated and every item more frequent than `total / capacity` is
 * guaranteed to be monitored.
 */
export class HeavyHitters {
  readonly #capacity: number;
  readonly #counts = new Map<string, number>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Counts one occurrence of `item`. O(1) when monitored, O(capacity) when it replaces another. */
  add(item: string): void {
    const count = this.#counts.get(item);
    if (count !== undefined) {
      this.#counts.set(item, count + 1);
      return;
    }
    if (this.#counts.size < this.#capacity) {
      this.#counts.set(item, 1);
      return;
    }
    let minItem = '';
    let minCount = Infinity;
    for (const [candidate, candidateCount] of this.#counts) {
      if (candidateCount < minCount) {
        minItem = candidate;
        minCount = candidateCount;
      }
    }
    this.#counts.delete(minItem);
    this.#counts.set(item, minCount + 1);
  }

  /** The `k` items with the highest counts (ties broken by first-seen order). */
  top(k: number): Set<string> {
    const sorted = [...this.#counts].sort((a, b) => b[1] - a[1]);
    return new Set(sorted.slice(0, k).map(([item]) => item));
  }

  /** Number of items monitored (at most `capacity`). */
  get size(): number {
    return this.#counts.size;
  }
}
