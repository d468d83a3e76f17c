import { parseArgs } from 'node:util';
import * as z from 'zod';
import { explainIssues } from '../../schemas/explain.ts';
import { runTwin } from '../../local/twin/run-twin.ts';
import { summaryTable } from '../../local/twin/summary-table.ts';
import { writeFileSync } from 'node:fs';
import { progressBar } from '../../local/progress/progress-bar.ts';
import { checkReportPath } from '../../local/report/report-path.ts';
import { twinReport } from '../../local/report/twin-report.ts';
import { PLANNING_POLICIES, POLICY } from '../../functions/domain/planning/plan-devices.ts';
import { PLANNER_POLICY_ENV } from '../../wiring/functions.ts';
import { SAMPLE_DR_PROGRAM } from '../../local/fleet/generate-fleet.ts';
import { eventPostedEveningBefore } from '../../local/twin/dr-scenario.ts';
import type { Command } from '../command.ts';

const TwinArgs = z.object({
  devices: z.coerce.number().int().min(1).max(1000),
  days: z.coerce.number().int().min(1).max(40),
  from: z.iso.date(),
  seed: z.coerce.number().int().min(0),
  json: z.boolean(),
  report: z.string().min(1).optional(),
  policy: z.enum(PLANNING_POLICIES),
  'dr-event': z.boolean(),
});

const USAGE = `hearth twin [--devices N] [--days D] [--from YYYY-MM-DD] [--seed S] [--json] [--report FILE] [--policy ${PLANNING_POLICIES.join('|')}] [--dr-event]
  Replays real DK2 prices and Malmö weather (2023-01-02 … 2023-02-12) through the local stack on a virtual
  clock with N simulated heaters, then prints a per-device and fleet summary.
  Defaults: --devices 5 --days 7 --from 2023-01-09 --seed 1. --from is midnight Europe/Copenhagen.
  --report FILE writes one self-contained HTML page with charts of the run. --policy thermostat plans with
  the classic-heater baseline instead of the optimizer, for comparison. --dr-event has a utility post an
  OpenADR 3 event at 19:00 on the first day (SIMPLE level 2) for 08:00–10:00 the next morning, through the
  DR webhook; the summary then shows how the fleet met it (needs --days 2 or more).`;

/** Midnight of a date in Danish time (the sample's market day), as a UTC instant. */
function danishMidnight(date: string): Date {
  const noonUtc = new Date(`${date}T12:00:00Z`);
  const offsetH = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', hour: 'numeric', hourCycle: 'h23' }).format(noonUtc)) - 12;
  return new Date(Date.parse(`${date}T00:00:00Z`) - offsetH * 3_600_000);
}

async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      devices: { type: 'string', default: '5' },
      days: { type: 'string', default: '7' },
      from: { type: 'string', default: '2023-01-09' },
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      report: { type: 'string' },
      policy: { type: 'string', default: POLICY },
      'dr-event': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const args = TwinArgs.safeParse(values);
  if (!args.success) throw new Error(`${explainIssues(args.error)}\n\n${USAGE}`);
  const { devices, days, from, seed, json, report, policy, 'dr-event': withDrEvent } = args.data;
  if (withDrEvent && days < 2) throw new Error(`--dr-event needs --days 2 or more: the event is posted on the first evening for the next morning\n\n${USAGE}`);
  if (report) checkReportPath(report);
  process.env[PLANNER_POLICY_ENV] = policy;
  const started = performance.now();
  const progress = progressBar(process.stderr, 'twin');
  const start = danishMidnight(from);
  const result = await runTwin({
    devices,
    days,
    seed,
    from: start,
    onProgress: (f) => progress.update(f),
    ...(withDrEvent ? { drEvent: eventPostedEveningBefore(start, SAMPLE_DR_PROGRAM) } : {}),
  });
  progress.done();
  const seconds = (performance.now() - started) / 1000;
  if (report) writeFileSync(report, twinReport(result, policy));
  if (json) {
    const { series: _series, ...summary } = result;
    console.log(JSON.stringify({ ...summary, wallSeconds: Number(seconds.toFixed(2)) }));
    return 0;
  }
  console.log(`Hearth local fleet twin: ${devices} heaters, ${result.from} → ${result.to} (DK2 spot prices, Malmö weather), planner ${policy}\n`);
  console.log(summaryTable(result));
  const c = result.counts;
  console.log(
    `\n${c.telemetryIngested} telemetry messages ingested, ${c.eventsDelivered} events delivered, ${c.deadLetters + c.telemetryDeadLetters} dead-lettered; ${seconds.toFixed(1)} s`,
  );
  if (result.dr) {
    const dr = result.dr;
    console.log(
      `DR event ${dr.gridEventId} (${dr.window.start} → ${dr.window.end}, posted ${dr.postedAt}): fleet ${dr.fleetKW.before} kW before, ` +
        `${dr.fleetKW.during} kW during, ${dr.fleetKW.after} kW after; discomfort around it ${dr.discomfortKh} K·h`,
    );
  }
  if (report) console.log(`report written to ${report}`);
  return c.deadLetters + c.telemetryDeadLetters === 0 ? 0 : 1;
}

export const command: Command = { name: 'twin', usage: USAGE, run };
