// How a kafkajs call or an app's handler ends its messaging operation: Kafka's own error name as
// error.type where kafkajs gives one (message-attributes.ts), else the one rule.

import type { CallOutcome } from '../../src/hook/call-outcome.js';
import type { MessagingOperation } from '../messaging/messaging-client.js';
import { kafkaErrorType } from './message-attributes.js';

/** One per call: a class, so a message's handler costs one small object, not two closures. */
export class KafkaOutcome implements CallOutcome {
  readonly #operation: MessagingOperation;

  constructor(operation: MessagingOperation) {
    this.#operation = operation;
  }

  succeeded(): void {
    this.#operation.end();
  }

  failed(error: unknown): void {
    this.#operation.end(error, true, kafkaErrorType(error));
  }
}
