import * as z from 'zod';
import { Celsius, Instant } from './primitives.ts';

/** A weather cell groups devices that share one forecast (≈ a 0.1° grid square). */
export const WeatherCell = z
  .object({ id: z.string().min(1).max(64), lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })
  .strict();
export type WeatherCell = z.infer<typeof WeatherCell>;

export const WeatherForecast = z
  .object({
    source: z.string().min(1),
    cell: WeatherCell,
    issuedAt: Instant,
    resolutionMinutes: z.literal(60),
    points: z.array(z.object({ time: Instant, temperatureC: Celsius }).strict()).min(1),
  })
  .strict();
export type WeatherForecast = z.infer<typeof WeatherForecast>;
