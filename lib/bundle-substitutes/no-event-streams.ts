/**
 * Stands in for `@smithy/core/event-streams` in the Lambda bundles (see BUNDLE_SUBSTITUTES in
 * lib/bundling.ts). The SDK loads that module only to serialise or parse an operation's event stream (Bedrock,
 * Transcribe streaming, S3 SelectObjectContent…); none of the operations Hearth calls (DynamoDB, EventBridge
 * PutEvents, IoT, IoT data plane shadows, Secrets Manager) has one. Should one ever be added, it fails loudly
 * here instead of sending a malformed request.
 */
function unavailable(): never {
  throw new Error('event streams are not bundled: lib/bundle-substitutes/no-event-streams.ts stands in for @smithy/core/event-streams');
}

export const eventStreamSerdeProvider = (): never => unavailable();

export class EventStreamSerde {
  constructor() {
    unavailable();
  }
}
