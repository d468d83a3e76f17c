/**
 * Stands in for `mnemonist/lru-cache` in the Lambda bundles (see BUNDLE_SUBSTITUTES in lib/bundling.ts). Its
 * only user there is the SDK's endpoint-discovery cache (`@aws-sdk/endpoint-cache`), which every DynamoDB
 * client builds and which calls `new LRUCache(capacity)`, `get`, `set`, `has`, `peek` and `clear`. Those
 * operations, with the same least-recently-used eviction, on a Map (which keeps insertion order) instead of
 * mnemonist's typed-array lists and their helpers: about 7 KB less per bundle.
 * test/infra/bundle-substitutes.test.ts runs it against mnemonist's LRUCache.
 */
export default class LRUCache<K, V> {
  readonly capacity: number;
  private readonly items = new Map<K, V>();

  constructor(capacity: number) {
    if (typeof capacity !== 'number' || capacity <= 0) throw new Error('mnemonist/lru-cache: capacity should be positive number.');
    this.capacity = capacity;
  }

  get size(): number {
    return this.items.size;
  }

  /** The value, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    if (!this.items.has(key)) return undefined;
    const value = this.items.get(key) as V;
    this.items.delete(key);
    this.items.set(key, value);
    return value;
  }

  /** The value, leaving the order alone. */
  peek(key: K): V | undefined {
    return this.items.get(key);
  }

  has(key: K): boolean {
    return this.items.has(key);
  }

  /** Stores the value as the most recently used, evicting the least recently used entry when full. */
  set(key: K, value: V): this {
    if (this.items.has(key)) this.items.delete(key);
    else if (this.items.size >= this.capacity) this.items.delete(this.items.keys().next().value as K);
    this.items.set(key, value);
    return this;
  }

  clear(): void {
    this.items.clear();
  }
}
