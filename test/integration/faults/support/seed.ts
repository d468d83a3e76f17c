import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeEvent } from 'aws-lambda';
import { DynamoDeviceRegistry } from '../../../../functions/adapters/dynamodb/device-registry.ts';
import { DynamoMarketDataStore } from '../../../../functions/adapters/dynamodb/market-data-store.ts';
import { contentHash, priceSeries, weatherSeries } from '../../../../functions/domain/market/series-keys.ts';
import type { SimulatedHeater } from '../../../../local/fleet/generate-fleet.ts';
import type { LocalDynamo } from '../../../../local/aws/dynamodb-local.ts';
import type { PriceCurve } from '../../../../schemas/price-curve.ts';
import type { WeatherForecast } from '../../../../schemas/weather-forecast.ts';

const HOUR_MS = 3_600_000;

/** Registers the heaters' records, as the devices API leaves them. */
export async function registerFleet(doc: DynamoDBDocumentClient, db: LocalDynamo, fleet: readonly SimulatedHeater[]): Promise<void> {
  const registry = new DynamoDeviceRegistry(doc, db.tableNames.devices);
  for (const heater of fleet) await registry.put(heater.record);
}

/** An hourly DK2-style price day: a morning and an evening peak, so a plan shifts power in time. */
export function priceDay(zone: string, day: string): PriceCurve {
  return {
    source: 'test',
    zone,
    currency: 'EUR',
    unit: 'MWh',
    resolutionMinutes: 60,
    points: Array.from({ length: 24 }, (_, h) => ({
      start: new Date(Date.parse(`${day}T00:00:00Z`) + h * HOUR_MS).toISOString().replace('.000Z', 'Z'),
      price: 60 + (h >= 6 && h < 9 ? 90 : 0) + (h >= 16 && h < 20 ? 140 : 0) + 2 * h,
    })),
  };
}

export function weatherDay(cell: WeatherForecast['cell'], day: string, issuedAt: string): WeatherForecast {
  return {
    source: 'test',
    cell,
    issuedAt,
    resolutionMinutes: 60,
    points: Array.from({ length: 24 }, (_, h) => ({ time: new Date(Date.parse(`${day}T00:00:00Z`) + h * HOUR_MS).toISOString(), temperatureC: -3 + Math.sin(h / 4) })),
  };
}

/** Stores prices for the zone and forecasts for the cell on each day, as the fetchers would have. */
export async function storeMarketDays(
  doc: DynamoDBDocumentClient,
  db: LocalDynamo,
  options: { zone?: string; cell?: WeatherForecast['cell']; days: readonly string[]; updatedAt: string; prices?: boolean },
): Promise<void> {
  const market = new DynamoMarketDataStore(doc, db.tableNames.marketData);
  for (const day of options.days) {
    if (options.prices !== false) {
      const payload = priceDay(options.zone ?? 'DK2', day);
      await market.putDay({ series: priceSeries(payload.zone), day, hash: contentHash(payload), updatedAt: options.updatedAt, payload });
    }
    if (options.cell) {
      const payload = weatherDay(options.cell, day, options.updatedAt);
      await market.putDay({ series: weatherSeries(options.cell.id), day, hash: contentHash(payload), updatedAt: options.updatedAt, payload });
    }
  }
}

/** An EventBridge event as a rule delivers it to a Lambda target; `id` is what a duplicate delivery repeats. */
export function busEvent<T extends string>(detailType: T, detail: unknown, time: Date, id = 'evt-1'): EventBridgeEvent<T, unknown> {
  return { version: '0', id, 'detail-type': detailType, source: 'hearth', account: '123456789012', time: time.toISOString(), region: 'eu-west-1', resources: [], detail };
}
