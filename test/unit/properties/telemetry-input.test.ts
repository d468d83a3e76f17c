import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestTelemetry } from '../../../functions/domain/telemetry/ingest-telemetry.ts';
import { TelemetryMessage } from '../../../schemas/telemetry.ts';
import { MemoryDeviceStateStore, MemoryKnownDevices, MemoryQuarantine, MemoryTelemetryHistory } from '../../support/memory-stores.ts';

const NOW = new Date('2023-01-10T12:00:00Z');
const valid = {
  schema: 'hearth.telemetry/1',
  deviceId: 'heater-1',
  seq: 1,
  ts: '2023-01-10T11:59:00Z',
  roomC: 20.5,
  powerW: 900,
};

/** Valid messages with one field replaced by anything JSON can hold, or removed, or one field added. */
const mutated = fc.oneof(
  fc.record({ key: fc.constantFrom(...Object.keys(valid), 'outdoorC', 'chipC', 'planVersion', 'mode', 'topicDeviceId', 'extra'), value: fc.jsonValue() }).map(({ key, value }) =>
    JSON.stringify({ ...valid, [key]: value }),
  ),
  fc.constantFrom(...Object.keys(valid)).map((key) => {
    const copy: Record<string, unknown> = { ...valid };
    delete copy[key];
    return JSON.stringify(copy);
  }),
);

const inputs = fc.oneof(fc.string({ maxLength: 300 }), fc.jsonValue().map((v) => JSON.stringify(v)), mutated, fc.string({ minLength: 4000, maxLength: 6000 }));

describe('telemetry input, property-based', () => {
  it('never throws; refused input is quarantined with a reason, accepted input is a valid message', async () => {
    await fc.assert(
      fc.asyncProperty(inputs, async (raw) => {
        // Every device is registered here: this property is about the message, not the registry.
        const ports = {
          devices: new MemoryKnownDevices(),
          state: new MemoryDeviceStateStore(),
          history: new MemoryTelemetryHistory(),
          quarantine: new MemoryQuarantine(),
          clock: { now: () => NOW },
        };
        const out = await ingestTelemetry(raw, ports);
        if (out.outcome === 'quarantined') {
          expect(out.reason.length).toBeGreaterThan(10);
          expect(ports.quarantine.items).toEqual([{ source: 'telemetry', reason: out.reason, raw }]);
          expect(ports.state.items.size + ports.history.items.size).toBe(0);
        } else {
          const { topicDeviceId: _t, ...body } = JSON.parse(raw) as Record<string, unknown>;
          expect(TelemetryMessage.safeParse(body).success).toBe(true);
          expect(ports.quarantine.items).toEqual([]);
        }
      }),
      { numRuns: 10_000 },
    );
  });
});
