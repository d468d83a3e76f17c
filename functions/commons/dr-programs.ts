import { DrPrograms, type DrProgram } from '../../schemas/dr-program.ts';
import { explainIssues } from '../../schemas/explain.ts';
import { DR_PROGRAMS_ENV } from '../../wiring/functions.ts';

/** The deployment's DR programs from DR_PROGRAMS (JSON); none when unset. A bad value names the variable. */
export function drProgramsFromEnv(env: NodeJS.ProcessEnv = process.env): DrProgram[] {
  const raw = env[DR_PROGRAMS_ENV];
  if (raw === undefined || raw.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new Error(`${DR_PROGRAMS_ENV} is not JSON: ${(e as Error).message}`);
  }
  const parsed = DrPrograms.safeParse(json);
  if (!parsed.success) throw new Error(`${DR_PROGRAMS_ENV} is invalid: ${explainIssues(parsed.error)}`);
  return parsed.data;
}
