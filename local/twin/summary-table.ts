import type { TwinResult } from './run-twin.ts';

const COLUMNS = ['device', 'kWh', 'bill EUR', 'revenue EUR', 'net EUR', 'discomfort K·h', 'mean °C'] as const;

/** The per-device and fleet table the twin prints. */
export function summaryTable(result: TwinResult): string {
  const rows: string[][] = result.devices.map((d) => [
    d.deviceId,
    d.energyKWh.toFixed(1),
    d.energyCostEur.toFixed(2),
    d.computeRevenueEur.toFixed(2),
    d.netCostEur.toFixed(2),
    d.discomfortKh.toFixed(1),
    d.meanRoomC.toFixed(1),
  ]);
  const f = result.fleet;
  rows.push(['fleet', f.energyKWh.toFixed(1), f.energyCostEur.toFixed(2), f.computeRevenueEur.toFixed(2), f.netCostEur.toFixed(2), f.discomfortKh.toFixed(1), '']);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(COLUMNS), rule, ...rows.slice(0, -1).map(line), rule, line(rows[rows.length - 1]!)].join('\n');
}
