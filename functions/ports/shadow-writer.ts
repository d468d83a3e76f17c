import type { PlanDocument } from '../../schemas/shadow.ts';

/** What a device's `plan` shadow holds as desired state now. */
export interface HeldPlan {
  /** The plan, when the shadow holds one that satisfies the contract. */
  plan?: PlanDocument;
  /** The shadow document's version, to condition the next write on; absent when there is no shadow yet. */
  version?: number;
}

/**
 * The `plan` named shadow of each device. The adapter owns transport reliability (throttling and server errors
 * retried with backoff, request pacing); the caller owns the decision to write.
 */
export interface ShadowWriter {
  readPlan(deviceId: string): Promise<HeldPlan>;
  /**
   * Puts a plan as desired state, on the condition that the shadow is still at `expectedVersion` (absent: that
   * there is none yet); `conflict` when another writer got there first.
   */
  writePlan(deviceId: string, plan: PlanDocument, expectedVersion: number | undefined): Promise<'written' | 'conflict'>;
}
