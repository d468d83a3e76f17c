import * as z from 'zod';
import { ComputeRevenueCurve } from './compute-revenue.ts';
import { DeviceRecord } from './device.ts';
import { DeviceRegistration } from './device-registration.ts';
import { DispatchRequest } from './dispatch.ts';
import { DrPrograms } from './dr-program.ts';
import { Tariff } from './tariff.ts';
import { EventDetails } from './events.ts';
import { OpenAdrNotification } from './openadr.ts';
import { PlanningProblem } from './planning-problem.ts';
import { PriceCurve } from './price-curve.ts';
import { Capabilities, ConfigDocument, PlanDocument, PlanReported } from './shadow.ts';
import { TelemetryMessage } from './telemetry.ts';
import { WeatherForecast } from './weather-forecast.ts';

/** The schemas published for firmware teams, utilities and integrators, by file name under schemas/json/. */
const published: Record<string, { schema: z.ZodType; title: string }> = {
  'telemetry.schema.json': { schema: TelemetryMessage, title: 'Hearth telemetry message (device → Basic Ingest topic)' },
  'shadow-plan-desired.schema.json': { schema: PlanDocument, title: 'Hearth `plan` named shadow: desired state' },
  'shadow-plan-reported.schema.json': { schema: PlanReported, title: 'Hearth `plan` named shadow: reported state' },
  'shadow-config-desired.schema.json': { schema: ConfigDocument, title: 'Hearth `config` named shadow: desired state' },
  'shadow-classic-reported.schema.json': { schema: Capabilities, title: 'Hearth classic shadow: reported capabilities' },
  'price-curve.schema.json': { schema: PriceCurve, title: 'Hearth normalised day-ahead price curve' },
  'weather-forecast.schema.json': { schema: WeatherForecast, title: 'Hearth normalised weather forecast' },
  'compute-revenue.schema.json': { schema: ComputeRevenueCurve, title: 'Hearth compute revenue curve' },
  'openadr-notification.schema.json': { schema: OpenAdrNotification, title: 'OpenADR 3 notification as Hearth accepts it' },
  'planning-problem.schema.json': { schema: PlanningProblem, title: 'Hearth planning problem (hearth plan --input)' },
  'tariff.schema.json': { schema: Tariff, title: 'Hearth household tariff (all-in price = (spot + margin + grid fee + taxes) × (1 + VAT))' },
  'dispatch.schema.json': { schema: DispatchRequest, title: 'Hearth plain JSON dispatch webhook (POST /dispatch)' },
  'dr-programs.schema.json': { schema: DrPrograms, title: 'Hearth demand-response programs (CDK context hearth:drPrograms, env DR_PROGRAMS)' },
  'device-record.schema.json': { schema: DeviceRecord, title: 'Hearth device registry record' },
  'device-registration.schema.json': { schema: DeviceRegistration, title: 'Hearth device registration (POST /devices, hearth devices add)' },
  ...Object.fromEntries(
    Object.entries(EventDetails).map(([name, schema]) => [`events/${name}.schema.json`, { schema, title: `Hearth EventBridge detail: ${name}` }]),
  ),
};

/** Every published JSON Schema as the text written to disk (stable, so a stale file shows in a diff). */
export function renderJsonSchemas(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(published).map(([file, { schema, title }]) => {
      const json = { title, ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) };
      return [file, `${JSON.stringify(json, null, 2)}\n`];
    }),
  );
}
