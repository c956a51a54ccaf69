// kafkajs 2.x: a send span per producer.send / sendBatch (PRODUCER, its context in each message's
// headers) and a process span per message handled by consumer.run's eachMessage, or per batch
// handled by eachBatch (CONSUMER), with the messaging conventions' Kafka attributes and the
// messaging.client.* and messaging.process.duration metrics (producer.ts and consumer.ts say how;
// semconv.ts which conventions; ../messaging/messaging-client.ts the rules every messaging
// instrumentation shares).
//
// kafkajs builds its producers and consumers as plain objects in Kafka#producer and Kafka#consumer:
// those two methods are wrapped, and the objects they return get their send, sendBatch, transaction
// and run wrapped as they are made. kafkajs is CommonJS, so ES module apps load it through require too.

import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { wrap } from '../../src/hook/patch.js';
import { MessagingClient } from '../messaging/messaging-client.js';
import { traceConsumer } from './consumer.js';
import { traceProducer } from './producer.js';
import { KAFKA_SYSTEM } from './semconv.js';

type AnyFunction = (...args: any[]) => any;

let shared: MessagingClient | undefined;

function patchKafka(exports: unknown, telemetry: Telemetry): unknown {
  const proto = (exports as { Kafka?: { prototype?: Record<string, AnyFunction> } } | undefined)?.Kafka?.prototype;
  if (proto === undefined || typeof proto.producer !== 'function' || typeof proto.consumer !== 'function') return exports;
  const client = (shared ??= new MessagingClient(telemetry, { instrumentation: 'kafkajs', system: KAFKA_SYSTEM }));
  wrap(proto, 'producer', (original) =>
    function producer(this: unknown) {
      const made: unknown = Reflect.apply(original, this, arguments);
      try {
        if (client.guard.enabled && typeof made === 'object' && made !== null) traceProducer(client, made);
      } catch (error) {
        client.guard.fail(error);
      }
      return made;
    },
  );
  wrap(proto, 'consumer', (original) =>
    function consumer(this: unknown, options: { groupId?: unknown } | undefined) {
      const made: unknown = Reflect.apply(original, this, arguments);
      try {
        const groupId = options?.groupId;
        if (client.guard.enabled && typeof made === 'object' && made !== null) traceConsumer(client, made, typeof groupId === 'string' ? groupId : undefined);
      } catch (error) {
        client.guard.fail(error);
      }
      return made;
    },
  );
  return exports;
}

export const kafkajs: Instrumentation = {
  name: 'kafkajs',
  targets: [{ module: 'kafkajs', versions: '>=2.0.0 <3', patch: patchKafka }],
};
