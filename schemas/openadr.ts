import * as z from 'zod';

/**
 * OpenADR 3 notifications as a VTN posts them to our subscription callback (we are the VEN).
 * Strict where meaning depends on it (ids, intervals, payload values), open elsewhere: a VTN may add
 * fields the spec does not name, and ignoring them loses nothing we act on.
 */
export const ObjectId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9_-]*$/, 'an OpenADR objectID (letters, digits, "_" and "-")');

export const IntervalPeriod = z.looseObject({
  start: z.string().min(1).max(40).optional(),
  duration: z.string().min(1).max(40).optional(),
  randomizeStart: z.string().min(1).max(40).optional(),
});

export const ValuesMap = z.looseObject({
  type: z.string().min(1).max(128),
  values: z.array(z.union([z.number(), z.string(), z.boolean(), z.looseObject({})])).max(1000),
});

export const Interval = z.looseObject({
  id: z.int(),
  intervalPeriod: IntervalPeriod.optional(),
  payloads: z.array(ValuesMap).max(100),
});

export const OpenAdrEvent = z.looseObject({
  id: ObjectId.optional(),
  createdDateTime: z.string().optional(),
  modificationDateTime: z.string().optional(),
  objectType: z.literal('EVENT').optional(),
  programID: ObjectId,
  eventName: z.string().max(256).nullish(),
  priority: z.int().min(0).nullish(),
  targets: z.array(z.union([z.string().min(1).max(128), z.looseObject({})])).max(1000).nullish(),
  intervalPeriod: IntervalPeriod.nullish(),
  payloadDescriptors: z.array(z.looseObject({})).max(100).nullish(),
  reportDescriptors: z.array(z.looseObject({})).max(100).nullish(),
  intervals: z.array(Interval).max(10_000),
});
export type OpenAdrEvent = z.infer<typeof OpenAdrEvent>;

export const OpenAdrObjectType = z.enum(['PROGRAM', 'EVENT', 'REPORT', 'SUBSCRIPTION', 'VEN', 'RESOURCE']);

/** 3.1 says CREATE/READ/UPDATE/DELETE; 3.0 servers (and the spec's own Figure 6) say POST/PUT. */
export const OpenAdrOperation = z.enum(['CREATE', 'READ', 'UPDATE', 'DELETE', 'POST', 'PUT']);

export const OpenAdrNotification = z.looseObject({
  objectType: OpenAdrObjectType,
  operation: OpenAdrOperation,
  object: z.looseObject({}),
});
export type OpenAdrNotification = z.infer<typeof OpenAdrNotification>;
