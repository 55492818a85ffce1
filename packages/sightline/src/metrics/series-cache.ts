/**
 * Bound series looked up by the values that pick them, without building a
 * key string per lookup: two string levels (a span name, a module) and a
 * small numeric slot (span kind and status). Code that records the same few
 * series again and again (a span processor, once per span) binds each one
 * once and finds it here afterwards.
 *
 * The cache is bounded: past `maxEntries` series it is emptied and fills
 * again, so unbounded values (span names that embed ids) cost a bind per
 * call instead of memory. The registry's series cap still decides what is
 * recorded.
 */
export class SeriesCache<V> {
  readonly #maxEntries: number;
  readonly #byFirst = new Map<string, Map<string, (V | undefined)[]>>();
  #entries = 0;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** The value cached for (`first`, `second`, `slot`), made by `create` on the first lookup. */
  get(first: string, second: string, slot: number, create: () => V): V {
    let bySecond = this.#byFirst.get(first);
    if (bySecond === undefined) {
      bySecond = new Map();
      this.#byFirst.set(first, bySecond);
    }
    let slots = bySecond.get(second);
    if (slots === undefined) {
      slots = [];
      bySecond.set(second, slots);
    }
    const cached = slots[slot];
    if (cached !== undefined) return cached;
    if (this.#entries >= this.#maxEntries) {
      this.#byFirst.clear();
      this.#entries = 0;
      return this.get(first, second, slot, create);
    }
    const created = create();
    slots[slot] = created;
    this.#entries += 1;
    return created;
  }
}
