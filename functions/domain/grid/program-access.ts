import type { DrProgram } from '../../../schemas/dr-program.ts';
import { DEFAULT_UTILITY } from '../../ports/token-source.ts';

/**
 * Whether a utility may post events of a program. A program names the utility that runs it; one that names
 * none (or is not configured) belongs to the deployment's default utility — the holder of the plain
 * `tokens`. So a second utility's token never reaches another utility's devices, nor the whole fleet.
 */
export function mayPostProgram(utility: string, programId: string, programs: readonly DrProgram[]): boolean {
  const owner = programs.find((p) => p.programId === programId)?.utility ?? DEFAULT_UTILITY;
  return owner === utility;
}
