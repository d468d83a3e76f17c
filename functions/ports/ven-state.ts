/**
 * What the VEN remembers between runs: its subscriptions, when the VTN last reached it or it last polled,
 * and which events it has reported.
 */
export interface SubscriptionRecord {
  programId: string;
  subscriptionId: string;
  clientName: string;
  callbackUrl: string;
  /** A hash of the bearer token registered with it (never the token): a rotation shows as a change. */
  tokenFingerprint: string;
  verifiedAt: string;
}

export interface VtnContact {
  lastNotificationAt?: string;
  lastPollAt?: string;
}

/**
 * `posted`, `not-requested` and `nothing-to-report` are final; `posting` is a claim that lapses; `failed` is
 * retried by the next run.
 */
export type ReportStatus = 'posting' | 'posted' | 'failed' | 'not-requested' | 'nothing-to-report';

export interface ReportLedgerEntry {
  gridEventId: string;
  status: ReportStatus;
  attempts: number;
  updatedAt: string;
  /** Until when a `posting` claim holds; a run that crashed mid-post leaves it to lapse. */
  claimUntil?: string;
  reportId?: string;
  lastError?: string;
  /** Why no report (not-requested, nothing-to-report), or what the posted one rests on. */
  detail?: Record<string, unknown>;
}

export const FINAL_REPORT_STATUSES: ReadonlySet<ReportStatus> = new Set(['posted', 'not-requested', 'nothing-to-report']);

/** The one thing the webhook tells the VEN: the VTN reached it. */
export interface VtnContactLog {
  /** Moves "last notification received" forward (an older time changes nothing). */
  notificationReceived(at: Date): Promise<void>;
}

export interface VenStateStore extends VtnContactLog {
  contact(): Promise<VtnContact>;
  pollDone(at: Date): Promise<void>;
  subscriptions(): Promise<SubscriptionRecord[]>;
  putSubscription(record: SubscriptionRecord): Promise<void>;
  reportEntries(gridEventIds: readonly string[]): Promise<Map<string, ReportLedgerEntry>>;
  /**
   * Claims an event's report for one run: succeeds unless it is final or another run's claim still holds.
   * Answers the attempt number, or undefined when not claimed.
   */
  claimReport(gridEventId: string, now: Date, claimMs: number): Promise<number | undefined>;
  /** Ends a claim with its outcome. */
  settleReport(entry: ReportLedgerEntry): Promise<void>;
}
