import { parseDrPrograms, type DrProgram } from '../../schemas/dr-program.ts';
import { DR_PROGRAMS_ENV } from '../../wiring/functions.ts';

/** The deployment's DR programs from DR_PROGRAMS (JSON); none when unset. A bad value names the variable. */
export function drProgramsFromEnv(env: NodeJS.ProcessEnv = process.env): DrProgram[] {
  const raw = env[DR_PROGRAMS_ENV];
  return raw === undefined || raw.trim() === '' ? [] : parseDrPrograms(raw, DR_PROGRAMS_ENV);
}
