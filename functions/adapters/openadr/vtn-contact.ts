import { getDocumentClient } from '../../commons/aws-clients.ts';
import { logger } from '../../commons/observability.ts';
import { tables } from '../../../wiring/tables.ts';
import type { VtnContactLog } from '../../ports/ven-state.ts';
import { DynamoVenStateStore } from '../dynamodb/ven-state-store.ts';

let fromEnvironment: VtnContactLog | null | undefined;

/** The `venState` table of the environment, or null when this function is not wired to it. */
export function vtnContactLogFromEnvironment(): VtnContactLog | null {
  if (fromEnvironment === undefined) {
    const table = process.env[tables.venState.envVar];
    fromEnvironment = table ? new DynamoVenStateStore(getDocumentClient(), table) : null;
  }
  return fromEnvironment;
}

/**
 * Tells the VEN the VTN reached us (an authenticated OpenADR notification arrived), so the VEN polls only when
 * the webhook has gone quiet. Best effort: bookkeeping never costs the notification its answer, so a failure
 * (or a function not wired to the table) is logged, not thrown.
 */
export async function recordVtnNotification(at: Date, log: VtnContactLog | null = vtnContactLogFromEnvironment()): Promise<void> {
  if (!log) {
    logger.warn(`VTN notification not recorded: ${tables.venState.envVar} is not set, so the VEN cannot tell the webhook works and will poll`);
    return;
  }
  try {
    await log.notificationReceived(at);
  } catch (e) {
    logger.warn('VTN notification not recorded', { error: (e as Error).message });
  }
}
