import * as z from 'zod';
import { explainIssues } from '../../../schemas/explain.ts';
import { ObjectId } from '../../../schemas/openadr.ts';
import { normaliseNotification } from '../../domain/grid/normalise-notification.ts';

/**
 * What an OpenADR 3 VTN answers, checked where the VEN relies on it and open elsewhere. Object bodies are
 * first normalised like notifications (a reference server writes snake_case and nulls), so `program_id` and
 * `programID` read the same. OAuth2 token answers are RFC 6749 snake_case and read as such.
 */
const ExpiresIn = z.union([z.number().positive(), z.string().regex(/^\d+$/).transform(Number)]);

export const TokenResponse = z.looseObject({
  access_token: z.string().min(1).max(4096),
  // RFC 6749 §5.1: the type is case-insensitive.
  token_type: z.string().regex(/^bearer$/i, 'token_type must be Bearer'),
  expires_in: ExpiresIn.optional(),
});

export const AuthServerInfo = z.looseObject({ tokenURL: z.string().min(2).max(8000) });

export const Program = z.looseObject({ id: ObjectId, programName: z.string().min(1).max(128).optional() });

/** `callback_url` normalises to `callbackURL`, while the spec writes `callbackUrl`: both are read. */
const ObjectOperation = z
  .looseObject({
    objects: z.array(z.string()),
    operations: z.array(z.string()),
    callbackUrl: z.string().optional(),
    callbackURL: z.string().optional(),
    bearerToken: z.string().optional(),
  })
  .transform(({ callbackURL, callbackUrl, ...rest }) => ({ ...rest, callbackUrl: callbackUrl ?? callbackURL ?? '' }));

export const Subscription = z.looseObject({
  id: ObjectId,
  clientName: z.string().min(1).max(128),
  programID: ObjectId.optional(),
  objectOperations: z.array(ObjectOperation),
});

export const Report = z.looseObject({ id: ObjectId, eventID: ObjectId, clientName: z.string().min(1).max(128) });

/** A page of objects; each is checked by whoever uses it (an event by the same path a notification takes). */
export const ObjectPage = z.array(z.looseObject({}));

/** A body read as JSON, normalised, and checked; `what` names the endpoint in the error. */
export function readObject<S extends z.ZodType>(schema: S, json: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(normaliseNotification(json));
  if (!parsed.success) throw new Error(`${what} answered an unexpected body: ${explainIssues(parsed.error)}`);
  return parsed.data;
}
