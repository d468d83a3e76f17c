import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { runTwin } from '../../local/twin/run-twin.ts';

describe('local fleet twin', () => {
  it('replays a real winter day through every handler: telemetry in, plans out, devices following', async () => {
    const result = await runTwin({ devices: 2, days: 1, from: new Date('2023-01-09T23:00:00Z'), seed: 7 });
    expect(result.devices).toHaveLength(2);
    // one telemetry message per device per 15 minutes, all ingested, none dead-lettered
    expect(result.counts.telemetryIngested).toBe(2 * 96);
    expect(result.counts.deadLetters).toBe(0);
    expect(result.counts.telemetryDeadLetters).toBe(0);
    for (const d of result.devices) {
      expect(d.energyKWh).toBeGreaterThan(1);
      expect(d.computeRevenueEur).toBeGreaterThan(0);
      expect(d.netCostEur).toBeCloseTo(d.energyCostEur - d.computeRevenueEur, 9);
      expect(d.meanRoomC).toBeGreaterThan(17);
      expect(d.meanRoomC).toBeLessThan(24);
    }
    expect(result.fleet.energyKWh).toBeCloseTo(result.devices.reduce((s, d) => s + d.energyKWh, 0), 9);
  });

  it('refuses a window outside the sample and bad options with a clear message', async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (m: string) => void errors.push(m);
    try {
      expect(await main(['twin', '--from', '2022-06-01'])).toBe(2);
      expect(await main(['twin', '--devices', 'many'])).toBe(2);
      expect(await main(['twin', '--colour', 'red'])).toBe(2);
      expect(await main(['nonsense'])).toBe(2);
      expect(await main(['twin', '--report', '/nonexistent-dir/report.html'])).toBe(2);
    } finally {
      console.error = original;
    }
    expect(errors[0]).toMatch(/must lie inside the sample/);
    expect(errors[1]).toMatch(/devices/);
    expect(errors[2]).toMatch(/colour/);
    expect(errors[3]).toMatch(/unknown command "nonsense"/);
    expect(errors[4]).toMatch(/cannot write the report to \/nonexistent-dir\/report.html/);
  });
});
