// The settings every messaging instrumentation shares (amqplib, kafkajs, SQS/SNS). Data only: the
// registry hands them to the settings table without loading any instrumentation.

import { defineSetting } from '../../src/config/setting.js';
import { bool } from '../../src/config/setting-types.js';

// The conventions make messaging.message.body.size Opt-In.
export const MESSAGING_BODY_SIZE = defineSetting({
  env: 'OTEL_NODE_MESSAGING_BODY_SIZE',
  group: 'instrumentations',
  help: 'record each message\'s body size in bytes as messaging.message.body.size on send, receive and process spans',
  type: bool,
  default: false,
});

export const MESSAGING_SETTINGS = [MESSAGING_BODY_SIZE];
