import { readPriceSteps, readTemperatureSteps } from '../../domain/market/read-steps.ts';
import type { MarketInputs, StepSeries } from '../../ports/market-inputs.ts';
import type { MarketDataStore } from '../../ports/stores.ts';

/** The planner's market inputs, read from the stored price curves and forecasts. */
export class StoredMarketInputs implements MarketInputs {
  constructor(private readonly store: MarketDataStore) {}

  priceSteps(zone: string, start: Date, steps: number, stepMinutes: number): Promise<StepSeries> {
    return readPriceSteps(this.store, zone, start, steps, stepMinutes);
  }

  outdoorSteps(cellId: string, start: Date, steps: number, stepMinutes: number): Promise<StepSeries> {
    return readTemperatureSteps(this.store, cellId, start, steps, stepMinutes);
  }
}
