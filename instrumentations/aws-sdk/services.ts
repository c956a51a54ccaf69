// What each service adds to its calls' spans, by the SDK's service id. Services not listed here get
// the attributes every AWS call has (aws-call.ts).

import type { Attributes, Context, Span } from '@opentelemetry/api';
import type { MessagingOperation } from '../messaging/messaging-client.js';
import type { AwsTelemetry } from './aws-call.js';
import { dynamodb } from './dynamodb.js';
import { s3 } from './s3.js';
import { sns } from './sns.js';
import { sqs } from './sqs.js';

export type Fields = Record<string, unknown>;

export interface ServiceRules {
  /** The span's attributes from the command's input, at its start. */
  requestAttributes?(method: string, input: Fields, attributes: Attributes): void;
  /** The span's attributes from the output (and the input it answers), before it ends. */
  responseAttributes?(aws: AwsTelemetry, method: string, output: Fields, span: Span, messaging: MessagingOperation | undefined, input: Fields | undefined): void;
  /** The attributes of the call's duration measurement, for a service that measures its calls (DynamoDB). */
  metricAttributes?(method: string, input: Fields | undefined): Attributes;
  /** A messaging operation (send, receive, delete) started in `parent`, for the operations that are one. */
  messaging?(aws: AwsTelemetry, method: string, input: Fields, attributes: Attributes, parent: Context): MessagingOperation | undefined;
}

const RULES = new Map<string, ServiceRules>([
  ['S3', s3],
  ['DynamoDB', dynamodb],
  ['SQS', sqs],
  ['SNS', sns],
]);

export function rulesFor(service: string): ServiceRules | undefined {
  return RULES.get(service);
}
