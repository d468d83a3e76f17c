import type { MarketDataStore, MarketDay } from '../../functions/ports/stores.ts';

/** MarketDataStore in memory with the DynamoDB adapter's semantics: a write with an equal hash is held back. */
export class MemoryMarketDataStore implements MarketDataStore {
  readonly items = new Map<string, MarketDay<unknown> & { expiresAt?: Date }>();
  writes = 0;

  async putDay<T>(day: MarketDay<T>, expiresAt?: Date): Promise<'new' | 'changed' | 'unchanged'> {
    const key = `${day.series}|${day.day}`;
    const old = this.items.get(key);
    if (old?.hash === day.hash) return 'unchanged';
    this.writes++;
    this.items.set(key, structuredClone({ ...day, ...(expiresAt ? { expiresAt } : {}) }));
    return old ? 'changed' : 'new';
  }

  async getDays<T>(series: string, fromDay: string, toDay: string): Promise<MarketDay<T>[]> {
    return [...this.items.values()]
      .filter((d) => d.series === series && d.day >= fromDay && d.day <= toDay)
      .sort((a, b) => (a.day < b.day ? -1 : 1))
      .map(({ expiresAt: _e, ...d }) => structuredClone(d) as MarketDay<T>);
  }
}
