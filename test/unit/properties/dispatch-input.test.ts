import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventSchedule } from '../../../functions/domain/grid/event-schedule.ts';
import { DISPATCH_PATH, makeHandler } from '../../../functions/handlers/dr-webhook.ts';
import { DEFAULT_UTILITY } from '../../../functions/ports/token-source.ts';
import { OpenAdrEvent } from '../../../schemas/openadr.ts';
import { httpEvent } from '../../support/http-event.ts';
import { MemoryGridEventStore, MemoryQuarantine } from '../../support/memory-stores.ts';
import { RecordingPublisher } from '../../support/recording-publisher.ts';
import { lambdaContext } from '../../support/sqs-event.ts';
import { mutatedJson, mutatedText, randomDocument, RUNS } from './support/mutations.ts';

/**
 * The plain JSON dispatch webhook (POST /dispatch → schemas/dispatch.ts → functions/domain/grid/receive-dispatch.ts),
 * 10,000 authenticated bodies: random text and JSON, edits of valid dispatches, and valid dispatches over
 * random windows (offsets, milliseconds, sub-second to multi-day lengths). The handler always answers: 400
 * naming the field (and the body quarantined with the reason), or 200 with the dispatch stored once and
 * announced once, and a second delivery of the same body a duplicate that changes nothing. What is stored
 * must mean what was sent: read back as the planner reads it (OpenAdrEvent, eventSchedule), it asks for the
 * dispatch's kW over the dispatch's window.
 */
const TOKEN = 'utility-token-0123456789abcdef';
const NOW = new Date('2026-11-24T17:00:00Z');

const DISPATCHES = [
  { dispatchId: 'evening-peak', start: '2026-11-25T16:00:00Z', end: '2026-11-25T18:00:00Z', kW: 250 },
  { dispatchId: 'feeder_7-shed', start: '2026-11-25T07:00:00+01:00', end: '2026-11-25T09:30:00+01:00', kW: 0, targets: ['feeder-F7', 'DK2'], cancelled: false },
  { dispatchId: 'cancel-1', start: '2026-11-24T16:00:00.000Z', end: '2026-11-24T17:15:00.000Z', kW: 1200.5, cancelled: true },
];

/** An instant written with a given offset and optionally milliseconds, as a utility's system may write it. */
const written = (ms: number, offsetMinutes: number, withMs: boolean): string => {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, withMs ? 23 : 19);
  if (offsetMinutes === 0) return `${local}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
};

/** Valid dispatches over random windows: the quirks a real sender has (offsets, milliseconds, short and long windows). */
const windows = fc
  .record({
    startMs: fc.integer({ min: Date.UTC(2026, 10, 20), max: Date.UTC(2026, 11, 31) }),
    lengthMs: fc.oneof(fc.integer({ min: 1, max: 1999 }), fc.integer({ min: 60_000, max: 3 * 86_400_000 })),
    startOffset: fc.constantFrom(0, 60, -300, 330, 840),
    endOffset: fc.constantFrom(0, 60, -300),
    withMs: fc.boolean(),
    kW: fc.double({ min: 0, max: 10_000_000, noNaN: true }),
  })
  .map(({ startMs, lengthMs, startOffset, endOffset, withMs, kW }) => {
    const startText = written(startMs, startOffset, withMs);
    const endText = written(Date.parse(startText) + lengthMs, endOffset, withMs);
    return JSON.stringify({ dispatchId: `w${startMs}`, start: startText, end: endText, kW });
  });

/** Windows that began long ago and end ahead: "from now on" as some senders write it. */
const sinceLongAgo = fc
  .record({ start: fc.constantFrom('0001-01-01T00:00:00Z', '0001-01-01T06:00:00+01:00', '1970-01-01T00:00:00Z', '2026-11-24T00:00:00Z'), hours: fc.integer({ min: 1, max: 72 }) })
  .map(({ start, hours }) => JSON.stringify({ dispatchId: 'since', start, end: new Date(NOW.getTime() + hours * 3_600_000).toISOString(), kW: 100 }));

const bodies = fc.oneof(
  { weight: 1, arbitrary: randomDocument },
  { weight: 1, arbitrary: mutatedText(DISPATCHES.map((d) => JSON.stringify(d, null, 1))) },
  { weight: 3, arbitrary: mutatedJson(DISPATCHES) },
  { weight: 2, arbitrary: windows },
  { weight: 1, arbitrary: sinceLongAgo },
);

describe('DR plain dispatch input, property-based', () => {
  it('answers 400 naming the field (quarantined) or stores the dispatch once, meaning what was sent; a redelivery changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const gridEvents = new MemoryGridEventStore();
        const quarantine = new MemoryQuarantine();
        const events = new RecordingPublisher();
        const handler = makeHandler({ gridEvents, quarantine, events, clock: { now: () => NOW }, tokens: { tokens: async () => [{ utility: DEFAULT_UTILITY, token: TOKEN }] } });
        const post = () => handler(httpEvent('POST', DISPATCH_PATH, { body, headers: { authorization: `Bearer ${TOKEN}` } }), lambdaContext);

        const out = await post();
        const answer = JSON.parse(out.body as string) as { status?: string; id?: string; error?: string };
        if (out.statusCode !== 200) {
          expect(out.statusCode).toBe(400);
          expect(answer.error).toMatch(/^dispatch (is not valid JSON|is invalid): \S/);
          expect(quarantine.items).toEqual([{ source: 'dispatch-webhook', reason: answer.error, raw: body }]);
          expect(gridEvents.items.size + events.published.length).toBe(0);
          return;
        }
        expect(answer.status).toBe('stored');
        const sent = JSON.parse(body) as { start: string; end: string; kW: number; cancelled?: boolean };
        const stored = gridEvents.items.get(answer.id!)!;
        expect(stored.cancelled).toBe(sent.cancelled ?? false);
        expect(events.of('GridEventReceived')).toEqual([{ gridEventId: answer.id, programId: stored.programId, modifiedAt: stored.modifiedAt, cancelled: stored.cancelled }]);

        // Read back as the planner reads it: one slot, the dispatch's window (to the second), its kW.
        const schedule = eventSchedule(OpenAdrEvent.parse(stored.event), new Date(stored.receivedAt));
        expect(schedule.slots).toHaveLength(1);
        const [slot] = schedule.slots;
        expect(slot!.values).toEqual({ IMPORT_CAPACITY_LIMIT: sent.kW });
        expect(slot!.start.getTime()).toBe(Date.parse(sent.start));
        expect(slot!.end).not.toBeNull();
        expect(slot!.end!.getTime()).toBeGreaterThan(slot!.start.getTime());
        expect(Math.abs(slot!.end!.getTime() - Date.parse(sent.end))).toBeLessThan(1000);

        // The same body again (the sender's retry): a duplicate, nothing stored or announced twice.
        const again = await post();
        expect(again.statusCode).toBe(200);
        expect(JSON.parse(again.body as string)).toEqual({ status: 'duplicate', id: answer.id });
        expect(gridEvents.items.get(answer.id!)).toEqual(stored);
        expect(events.published).toHaveLength(1);
      }),
      RUNS,
    );
  });
});
