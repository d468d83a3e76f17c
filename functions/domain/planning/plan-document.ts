import { PlanDocument } from '../../../schemas/shadow.ts';

export interface PlanDocumentInput {
  v: number;
  start: Date;
  stepS: number;
  powerW: readonly number[];
  fallback: PlanDocument['fallback'];
  /** Hours after `start` past which the device must stop trusting the plan, when that is before its last step ends. */
  validForHours?: number;
}

/**
 * The `plan` shadow's desired document for a planned power series. Powers are rounded to whole watts (the
 * contract's integers, and fewer bytes in an 8 KB shadow). `validUntil` is the end of the last step, or
 * `start + validForHours` when that comes first, so a device never runs past what was planned. The result
 * is checked against the contract's schema, so a plan that breaks it fails here, not on the device.
 */
export function toPlanDocument({ v, start, stepS, powerW, fallback, validForHours }: PlanDocumentInput): PlanDocument {
  const startMs = start.getTime();
  let validUntilMs = startMs + powerW.length * stepS * 1000;
  if (validForHours !== undefined) {
    if (!(validForHours > 0)) throw new RangeError(`validForHours must be positive; got ${validForHours}`);
    validUntilMs = Math.min(validUntilMs, startMs + validForHours * 3_600_000);
  }
  return PlanDocument.parse({
    v,
    start: start.toISOString(),
    stepS,
    powerW: powerW.map((p) => Math.round(p)),
    validUntil: new Date(validUntilMs).toISOString(),
    fallback: { minC: fallback.minC, maxC: fallback.maxC },
  });
}
