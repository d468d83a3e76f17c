import * as z from 'zod';
import { explainIssues } from './explain.ts';

const Share = z.number().min(0).max(1);

/**
 * What a demand-response program means for this fleet, set by the operator per deployment: which utility runs
 * it (only that utility's webhook token may post its events), what its SIMPLE levels ask for, and how gently
 * the fleet comes back afterwards.
 */
export const DrProgram = z
  .object({
    programId: z.string().min(1).max(128),
    /** The utility (key of the webhook token secret) allowed to post this program's events. */
    utility: z.string().min(1).max(64).optional(),
    /** Share of the fleet's expected load shed at each SIMPLE level (OpenADR: 0 normal … 3 special). */
    simpleShed: z.partialRecord(z.enum(['0', '1', '2', '3']), Share).optional(),
    /** After an event, devices return over this many minutes, staggered per feeder (default 60). */
    restoreMinutes: z.int().min(0).max(360).optional(),
    /** K·h below its comfort band a household may be asked for, beyond its own plan (default 0.25). */
    maxExtraColdKh: z.number().min(0).max(10).optional(),
    /** EUR per kg CO2e added to the energy price from GHG signals (default 0: GHG is informational). */
    ghgEurPerKg: z.number().min(0).max(10).optional(),
  })
  .strict();
export type DrProgram = z.infer<typeof DrProgram>;

export const DrPrograms = z.array(DrProgram).max(1000);

/** Programs from their JSON text or value; a bad one throws naming `source` (a variable, a context key). */
export function parseDrPrograms(raw: unknown, source: string): DrProgram[] {
  let json = raw;
  if (typeof raw === 'string') {
    try {
      json = JSON.parse(raw);
    } catch (e) {
      throw new Error(`${source} must be a JSON array of programs: ${(e as Error).message}`);
    }
  }
  const parsed = DrPrograms.safeParse(json);
  if (!parsed.success) throw new Error(`${source} is invalid: ${explainIssues(parsed.error)}`);
  return parsed.data;
}
