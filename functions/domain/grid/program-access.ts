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

/** Who posts: the utility its token identifies, and the programs each utility owns. */
export interface Caller {
  utility: string;
  programs: readonly DrProgram[];
}

/** A caller that may post anything: the deployment's single utility when no programs are configured. */
export const DEFAULT_CALLER: Caller = { utility: DEFAULT_UTILITY, programs: [] };
