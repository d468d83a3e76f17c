/**
 * The utility's OpenADR 3 VTN as the VEN uses it. Objects come back validated and normalised (camelCase,
 * nulls dropped); anything else is an error naming the endpoint.
 */
export interface VtnProgram {
  id: string;
  programName: string;
}

export interface VtnSubscriptionRequest {
  clientName: string;
  programID?: string;
  objectOperations: { objects: string[]; operations: string[]; callbackUrl: string; bearerToken?: string }[];
}

export interface VtnSubscription extends VtnSubscriptionRequest {
  id: string;
}

export interface VtnReport {
  id: string;
  eventID: string;
  clientName: string;
}

export interface Vtn {
  programs(): Promise<VtnProgram[]>;
  /** Every event of a program, page by page; each an object as the VTN gave it (validated by the caller). */
  events(programId: string): Promise<Record<string, unknown>[]>;
  subscriptions(query: { clientName: string; programID?: string }): Promise<VtnSubscription[]>;
  createSubscription(request: VtnSubscriptionRequest): Promise<VtnSubscription>;
  updateSubscription(id: string, request: VtnSubscriptionRequest): Promise<VtnSubscription>;
  reports(query: { eventID: string; clientName: string }): Promise<VtnReport[]>;
  createReport(report: Record<string, unknown>): Promise<VtnReport>;
}
