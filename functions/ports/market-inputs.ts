/** A per-step series for a planner, and which steps came from data rather than the fallback forecast. */
export interface StepSeries {
  values: number[];
  known: boolean[];
}

/** What the planner needs from market and weather data, per step of its horizon. */
export interface MarketInputs {
  /** All-in price per kWh in the zone's currency. */
  priceSteps(zone: string, start: Date, steps: number, stepMinutes: number): Promise<StepSeries>;
  outdoorSteps(cellId: string, start: Date, steps: number, stepMinutes: number): Promise<StepSeries>;
}
