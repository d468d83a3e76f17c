import type { SubscriptionRecord, VenStateStore } from '../../ports/ven-state.ts';
import type { Vtn, VtnSubscription, VtnSubscriptionRequest } from '../../ports/vtn.ts';

/** What the VEN wants to hear of: every change to an event of its programs. */
export const SUBSCRIBED_OBJECTS = ['EVENT'];
export const SUBSCRIBED_OPERATIONS = ['CREATE', 'UPDATE', 'DELETE'];

/** A subscription remembered as verified is trusted this long before the VTN is asked again. */
export const SUBSCRIPTION_REVERIFY_MS = 60 * 60_000;

export interface SubscriptionPorts {
  vtn: Vtn;
  venState: VenStateStore;
}

export interface SubscriptionWish {
  clientName: string;
  callbackUrl: string;
  /** Registered with the subscription; the VTN presents it on every callback (the DR webhook's token). */
  bearerToken?: string;
  /** A hash of that token, remembered instead of it. */
  tokenFingerprint: string;
  programIds: readonly string[];
  now: Date;
}

export type SubscriptionAction = 'kept' | 'adopted' | 'created' | 'updated';

const covers = (s: VtnSubscription, wish: SubscriptionWish): boolean =>
  s.objectOperations.some(
    (op) =>
      op.callbackUrl === wish.callbackUrl &&
      SUBSCRIBED_OBJECTS.every((o) => op.objects.includes(o)) &&
      SUBSCRIBED_OPERATIONS.every((o) => op.operations.includes(o)),
  );

const callsUs = (s: VtnSubscription, wish: SubscriptionWish): boolean => s.objectOperations.some((op) => op.callbackUrl === wish.callbackUrl);

/**
 * Whether the VTN will present our current token. It shows it in the subscription, or hides it: then only our
 * record of what we registered (its fingerprint) can tell.
 */
function tokenCurrent(s: VtnSubscription, wish: SubscriptionWish, stored: SubscriptionRecord | undefined): boolean {
  const shown = s.objectOperations.find((op) => op.callbackUrl === wish.callbackUrl)?.bearerToken;
  if (shown !== undefined) return shown === wish.bearerToken;
  if (wish.bearerToken === undefined) return true;
  return stored?.subscriptionId === s.id && stored.tokenFingerprint === wish.tokenFingerprint;
}

const requestFor = (programId: string, wish: SubscriptionWish): VtnSubscriptionRequest => ({
  clientName: wish.clientName,
  programID: programId,
  objectOperations: [
    {
      objects: SUBSCRIBED_OBJECTS,
      operations: SUBSCRIBED_OPERATIONS,
      callbackUrl: wish.callbackUrl,
      ...(wish.bearerToken !== undefined ? { bearerToken: wish.bearerToken } : {}),
    },
  ],
});

/**
 * One subscription per program, registered once. What the VEN remembers is trusted for an hour; after that,
 * or when the callback, name or token changed, the VTN is asked for our subscriptions (by clientName and
 * program) and one calling our callback is adopted, or updated when it lacks an operation or carries an old
 * token; only when none exists is one created. A create whose answer was lost is thus adopted next run, not
 * made twice.
 */
export async function ensureSubscriptions(ports: SubscriptionPorts, wish: SubscriptionWish): Promise<Record<string, SubscriptionAction>> {
  const stored = new Map((await ports.venState.subscriptions()).map((r) => [r.programId, r]));
  const actions: Record<string, SubscriptionAction> = {};
  for (const programId of wish.programIds) {
    const known = stored.get(programId);
    const fresh =
      known &&
      known.callbackUrl === wish.callbackUrl &&
      known.clientName === wish.clientName &&
      known.tokenFingerprint === wish.tokenFingerprint &&
      wish.now.getTime() - Date.parse(known.verifiedAt) < SUBSCRIPTION_REVERIFY_MS;
    if (fresh) {
      actions[programId] = 'kept';
      continue;
    }
    const existing = (await ports.vtn.subscriptions({ clientName: wish.clientName, programID: programId })).find(
      (s) => s.clientName === wish.clientName && s.programID === programId && callsUs(s, wish),
    );
    let subscription: VtnSubscription;
    if (!existing) {
      subscription = await ports.vtn.createSubscription(requestFor(programId, wish));
      actions[programId] = 'created';
    } else if (covers(existing, wish) && tokenCurrent(existing, wish, known)) {
      subscription = existing;
      actions[programId] = known?.subscriptionId === existing.id ? 'kept' : 'adopted';
    } else {
      subscription = await ports.vtn.updateSubscription(existing.id, requestFor(programId, wish));
      actions[programId] = 'updated';
    }
    await ports.venState.putSubscription({
      programId,
      subscriptionId: subscription.id,
      clientName: wish.clientName,
      callbackUrl: wish.callbackUrl,
      tokenFingerprint: wish.tokenFingerprint,
      verifiedAt: wish.now.toISOString(),
    });
  }
  return actions;
}
