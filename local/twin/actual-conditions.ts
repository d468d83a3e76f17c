import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseEnergiDataServiceCsv } from '../../functions/adapters/prices/energidataservice-csv.ts';
import { parseOpenMeteoCsv } from '../../functions/adapters/weather/open-meteo-csv.ts';

const SAMPLES = new URL('../../data/samples/', import.meta.url);
export const SAMPLE_PRICES = fileURLToPath(new URL('prices/DK2-2023-01-02_2023-02-12.csv', SAMPLES));
export const SAMPLE_WEATHER = fileURLToPath(new URL('weather/malmo-2023-01-02_2023-02-12.csv', SAMPLES));
const HOUR_MS = 3_600_000;

/**
 * What really happened, for the simulated rooms and the bill: the sample's spot prices and hourly outdoor
 * temperatures (linearly interpolated between hours). Planners never see these directly; they see what the
 * data-source stand-ins publish.
 */
export class ActualConditions {
  private readonly priceByHour = new Map<number, number>();
  private readonly tempByHour = new Map<number, number>();
  readonly firstMs: number;
  readonly endMs: number;

  constructor(zone: string) {
    const curve = parseEnergiDataServiceCsv(readFileSync(SAMPLE_PRICES, 'utf8'), SAMPLE_PRICES).find((c) => c.zone === zone);
    if (!curve) throw new Error(`the price sample has no zone ${zone}`);
    for (const p of curve.points) this.priceByHour.set(Date.parse(p.start), p.price / 1000);
    for (const p of parseOpenMeteoCsv(readFileSync(SAMPLE_WEATHER, 'utf8'), SAMPLE_WEATHER).points) {
      this.tempByHour.set(Date.parse(p.time), p.temperatureC);
    }
    const hours = [...this.priceByHour.keys()].filter((h) => this.tempByHour.has(h)).sort((a, b) => a - b);
    this.firstMs = hours[0]!;
    this.endMs = hours[hours.length - 1]! + HOUR_MS;
  }

  /** Spot price in EUR/kWh for the hour holding `at`. */
  priceEurPerKWh(at: Date): number {
    const v = this.priceByHour.get(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
    if (v === undefined) throw new Error(`no sample price for ${at.toISOString()}`);
    return v;
  }

  outdoorC(at: Date): number {
    const h0 = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
    const t0 = this.tempByHour.get(h0);
    if (t0 === undefined) throw new Error(`no sample temperature for ${at.toISOString()}`);
    const t1 = this.tempByHour.get(h0 + HOUR_MS) ?? t0;
    return t0 + ((t1 - t0) * (at.getTime() - h0)) / HOUR_MS;
  }
}
