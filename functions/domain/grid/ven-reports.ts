import type { DeviceRecord } from '../../../schemas/device.ts';
import { OpenAdrEvent } from '../../../schemas/openadr.ts';
import type { Clock } from '../../ports/clock.ts';
import type { DeviceRegistry, GridEventRecord, GridEventStore, TelemetryHistory } from '../../ports/stores.ts';
import { FINAL_REPORT_STATUSES, type ReportLedgerEntry, type VenStateStore } from '../../ports/ven-state.ts';
import type { Vtn } from '../../ports/vtn.ts';
import { forEachLimited } from '../concurrency/for-each-limited.ts';
import { isKnownTimeZone } from '../time/zoned-time.ts';
import type { BaselineOptions } from './baseline.ts';
import { devicesTargeted } from './event-targets.ts';
import { storedEventWindow } from './grid-event-window.ts';
import { powerSamples, type TimeWindow } from './measured-energy.ts';
import { reportPlan } from './report-request.ts';
import { buildUsageReport, usageReadWindows, type DeviceTelemetry, type UsageReportSummary } from './usage-report.ts';

/** Telemetry of the last minutes of an event is given this long to arrive before the event is reported. */
export const REPORT_SETTLE_MS = 30 * 60_000;
/** Events that ended longer ago are not reported any more (a VEN deployed today does not report last year). */
export const REPORT_LOOKBACK_MS = 7 * 24 * 3_600_000;
/** How long one run holds an event's report before another may take it over (a run that crashed). */
export const REPORT_CLAIM_MS = 10 * 60_000;
/** Devices whose telemetry is read at once: enough to hide DynamoDB's latency, few enough not to throttle. */
const READ_CONCURRENCY = 4;

export interface ReportPorts {
  vtn: Vtn;
  venState: VenStateStore;
  gridEvents: GridEventStore;
  devices: DeviceRegistry;
  telemetry: TelemetryHistory;
  clock: Clock;
}

export interface ReportSettings {
  clientName: string;
  /** Programs of this VTN: only their events are reported to it (a plain JSON dispatch never is). */
  programIds: readonly string[];
  baseline?: Partial<BaselineOptions>;
}

export type ReportOutcome =
  | { gridEventId: string; status: 'posted'; reportId: string; adopted: boolean }
  | { gridEventId: string; status: 'not-requested' | 'nothing-to-report'; reason: string }
  | { gridEventId: string; status: 'failed'; error: string; attempt: number }
  | { gridEventId: string; status: 'busy' };

/** Ended long enough ago to be complete, recently enough to be worth reporting, and not cancelled. */
function reportable(record: GridEventRecord, programIds: ReadonlySet<string>, nowMs: number): boolean {
  if (record.cancelled || !programIds.has(record.programId)) return false;
  const window = storedEventWindow(record);
  return !!window && Number.isFinite(window.endMs) && window.endMs + REPORT_SETTLE_MS <= nowMs && window.endMs >= nowMs - REPORT_LOOKBACK_MS;
}

/** What the ledger keeps of a posted report: totals, not a line per device (an item has 400 KB at most). */
const totalsOf = (summary: UsageReportSummary): Record<string, unknown> => ({
  baselineMethod: summary.baselineMethod,
  devices: summary.devices.length,
  usageKWh: Math.round(summary.devices.reduce((s, d) => s + d.usageKWh, 0) * 1e6) / 1e6,
  baselineKWh: Math.round(summary.devices.reduce((s, d) => s + (d.baselineKWh ?? 0), 0) * 1e6) / 1e6,
  devicesWithoutBaseline: summary.devices.filter((d) => d.baselineKWh === undefined).length,
  intervalsIncomplete: summary.devices.reduce((s, d) => s + d.intervalsPartial + d.intervalsMissing, 0),
  fewestBaselineDays: summary.fewestBaselineDays,
});

/**
 * After each event of our programs has ended, its report, once: built from the telemetry of the devices it
 * targeted (usage-report.ts) as its reportDescriptors ask, and posted to the VTN. Once means: a run claims the
 * event in the ledger first (a concurrent run leaves it alone), asks the VTN whether a report of ours for it
 * already exists (a post whose answer was lost, or a ledger write that failed after it) before posting, and
 * records the outcome. A failure is recorded and retried by the next run; `posted`, `not-requested` and
 * `nothing-to-report` are final.
 */
export async function reportEndedEvents(ports: ReportPorts, settings: ReportSettings): Promise<ReportOutcome[]> {
  const now = ports.clock.now();
  const programIds = new Set(settings.programIds);
  const records = await ports.gridEvents.listAll();
  const candidates = records.filter((r) => reportable(r, programIds, now.getTime()));
  if (candidates.length === 0) return [];
  const ledger = await ports.venState.reportEntries(candidates.map((r) => r.gridEventId));
  const open = candidates.filter((r) => !FINAL_REPORT_STATUSES.has(ledger.get(r.gridEventId)?.status ?? 'failed'));

  let fleet: Promise<DeviceRecord[]> | undefined;
  const outcomes: ReportOutcome[] = [];
  for (const record of open) {
    const attempt = await ports.venState.claimReport(record.gridEventId, now, REPORT_CLAIM_MS);
    if (attempt === undefined) {
      outcomes.push({ gridEventId: record.gridEventId, status: 'busy' });
      continue;
    }
    const settle = async (entry: Omit<ReportLedgerEntry, 'gridEventId' | 'attempts' | 'updatedAt'>) =>
      ports.venState.settleReport({ gridEventId: record.gridEventId, attempts: attempt, updatedAt: ports.clock.now().toISOString(), ...entry });
    try {
      fleet ??= ports.devices.listAll();
      const outcome = await reportOne(record, records, await fleet, ports, settings);
      if (outcome.status === 'posted') await settle({ status: 'posted', reportId: outcome.reportId, detail: outcome.detail });
      else await settle({ status: outcome.status, detail: { reason: outcome.reason } });
      outcomes.push(outcome.status === 'posted' ? { gridEventId: record.gridEventId, status: 'posted', reportId: outcome.reportId, adopted: outcome.adopted } : { gridEventId: record.gridEventId, ...outcome });
    } catch (e) {
      const error = (e as Error).message;
      await settle({ status: 'failed', lastError: error.slice(0, 1000) });
      outcomes.push({ gridEventId: record.gridEventId, status: 'failed', error, attempt });
    }
  }
  return outcomes;
}

type OneOutcome =
  | { status: 'posted'; reportId: string; adopted: boolean; detail: Record<string, unknown> }
  | { status: 'not-requested' | 'nothing-to-report'; reason: string };

async function reportOne(record: GridEventRecord, all: readonly GridEventRecord[], fleet: readonly DeviceRecord[], ports: ReportPorts, settings: ReportSettings): Promise<OneOutcome> {
  const parsed = OpenAdrEvent.safeParse(record.event);
  if (!parsed.success) return { status: 'nothing-to-report', reason: 'the stored event no longer reads as an OpenADR event' };
  const event = { ...parsed.data, id: record.gridEventId };
  const targeted = devicesTargeted(event, fleet);
  const plan = reportPlan(event, new Date(record.receivedAt), targeted.map((d) => d.deviceId));
  if (plan.kind === 'none') return { status: 'not-requested', reason: plan.reason };

  const existing = await ports.vtn.reports({ eventID: record.gridEventId, clientName: settings.clientName });
  const ours = existing.find((r) => r.eventID === record.gridEventId && r.clientName === settings.clientName);
  if (ours) return { status: 'posted', reportId: ours.id, adopted: true, detail: { adopted: true } };
  if (targeted.length === 0) return { status: 'nothing-to-report', reason: 'no device of the fleet was targeted by the event' };

  const programEvents: TimeWindow[] = all
    .filter((r) => r.programId === record.programId && r.gridEventId !== record.gridEventId && !r.cancelled)
    .map(storedEventWindow)
    .filter((w): w is TimeWindow => w !== undefined);
  const devices: DeviceTelemetry[] = new Array(targeted.length);
  await forEachLimited(targeted, READ_CONCURRENCY, async (device, i) => {
    const timeZone = isKnownTimeZone(device.timezone) ? device.timezone : 'UTC';
    const windows = usageReadWindows(plan, timeZone, programEvents, settings.baseline);
    const messages = (await Promise.all(windows.map((w) => ports.telemetry.range(device.deviceId, new Date(w.startMs), new Date(w.endMs))))).flat();
    devices[i] = { deviceId: device.deviceId, timeZone, samples: powerSamples(messages, device.deviceId) };
  });
  const report = buildUsageReport({ event, plan, clientName: settings.clientName, devices, programEvents, ...(settings.baseline ? { options: settings.baseline } : {}) });
  const posted = await ports.vtn.createReport(report.body);
  return { status: 'posted', reportId: posted.id, adopted: false, detail: { ...totalsOf(report.summary), ignoredDescriptors: plan.ignored } };
}
