import { readPriceSteps, readTemperatureSteps } from '../../domain/market/read-steps.ts';
import type { MarketInputs, StepSeries } from '../../ports/market-inputs.ts';
import type { MarketDataStore } from '../../ports/stores.ts';

/**
 * How long a read series is reused. A replan asks for the same zone's prices and cell's forecast once per
 * device; within a minute of real time they cannot have changed in a way the next replan would not catch
 * (PricesPublished and ForecastUpdated trigger one), so thousands of reads become one.
 */
const REUSE_MS = 60_000;

/** The planner's market inputs, read from the stored price curves and forecasts. */
export class StoredMarketInputs implements MarketInputs {
  private readonly recent = new Map<string, { at: number; series: Promise<StepSeries> }>();

  constructor(
    private readonly store: MarketDataStore,
    private readonly elapsedMs: () => number = () => performance.now(),
  ) {}

  priceSteps(zone: string, start: Date, steps: number, stepMinutes: number): Promise<StepSeries> {
    return this.reuse(`price|${zone}|${start.getTime()}|${steps}|${stepMinutes}`, () => readPriceSteps(this.store, zone, start, steps, stepMinutes));
  }

  outdoorSteps(cellId: string, start: Date, steps: number, stepMinutes: number): Promise<StepSeries> {
    return this.reuse(`outdoor|${cellId}|${start.getTime()}|${steps}|${stepMinutes}`, () => readTemperatureSteps(this.store, cellId, start, steps, stepMinutes));
  }

  private reuse(key: string, read: () => Promise<StepSeries>): Promise<StepSeries> {
    const now = this.elapsedMs();
    const hit = this.recent.get(key);
    if (hit && now - hit.at < REUSE_MS) return hit.series;
    for (const [k, v] of this.recent) if (now - v.at >= REUSE_MS) this.recent.delete(k);
    const series = read();
    this.recent.set(key, { at: now, series });
    // A failed read is not kept: the next device asks again.
    series.catch(() => this.recent.delete(key));
    return series;
  }
}
