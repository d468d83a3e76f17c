/**
 * A demand-response event for the twin, as a utility's VTN would notify it: posted the evening before, asking
 * the sample program's devices for a SIMPLE level over tomorrow's morning peak — when heaters reheat rooms
 * after the night setback (the evening peak the planner already avoids for its price).
 */
export interface TwinDrEvent {
  gridEventId: string;
  programId: string;
  postedAt: Date;
  start: Date;
  durationMinutes: number;
  /** OpenADR SIMPLE level: 1 moderate, 2 high, 3 special (shares of the expected load shed per the program). */
  simpleLevel: 1 | 2 | 3;
}

const HOUR_MS = 3_600_000;

/** Posted at 19:00 on the first day (local, `from` is local midnight), for 08:00–10:00 the next morning. */
export function eventPostedEveningBefore(from: Date, programId: string): TwinDrEvent {
  return {
    gridEventId: 'twin-morning-peak',
    programId,
    postedAt: new Date(from.getTime() + 19 * HOUR_MS),
    start: new Date(from.getTime() + 32 * HOUR_MS),
    durationMinutes: 120,
    simpleLevel: 2,
  };
}

/** The OpenADR 3.1 notification of the event (objectType EVENT, operation CREATE). */
export function notificationOf(event: TwinDrEvent): string {
  return JSON.stringify({ objectType: 'EVENT', operation: 'CREATE', object: openAdrEventOf(event) });
}

/** The event as the VTN holds it. */
export function openAdrEventOf(event: TwinDrEvent): Record<string, unknown> {
  return {
      id: event.gridEventId,
      objectType: 'EVENT',
      createdDateTime: event.postedAt.toISOString(),
      modificationDateTime: event.postedAt.toISOString(),
      programID: event.programId,
      eventName: 'morning peak',
      intervalPeriod: { start: event.start.toISOString(), duration: `PT${event.durationMinutes}M`, randomizeStart: 'PT15M' },
      payloadDescriptors: [{ objectType: 'EVENT_PAYLOAD_DESCRIPTOR', payloadType: 'SIMPLE' }],
      reportDescriptors: [{ payloadType: 'USAGE', readingType: 'DIRECT_READ', units: 'KWH', aggregate: false, startInterval: -1, numIntervals: -1, historical: true, frequency: -1, repeat: 1 }],
      intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [event.simpleLevel] }] }],
  };
}
