import { fileURLToPath } from 'node:url';

/** The repository root: wiring entries (`functions/handlers/…`) are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
