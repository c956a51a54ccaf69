// amqplib (RabbitMQ) 0.10, 1.x and 2.x, promise and callback APIs: PRODUCER spans for publish and
// sendToQueue (publish.ts), CONSUMER spans for consumers' deliveries (consume.ts), CLIENT spans for
// get (get.ts) and for ack, nack and reject (settle.ts), with the trace context carried in the
// message headers, server.address/port from the connection (connection-server.ts), and the
// messaging metrics, all through the shared messaging helper (instrumentations/messaging).
// Conventions: semantic-conventions v1.44 messaging and rabbitmq.md (Development).
//
// Every patched file is one of amqplib's own (lib/*.js): amqplib is CommonJS, so an ES module app
// loads them through require too. The three majors share these files and the method names used
// here; 0.10 differs only in the order a confirm channel queues its callback (publish.ts).

import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { patchConnect } from './connection-server.js';
import { patchConsume } from './consume.js';
import { patchCallbackGet, patchPromiseGet } from './get.js';
import { amqpClient } from './operations.js';
import { patchConfirmPublish, patchSendMessage } from './publish.js';
import { patchSettle } from './settle.js';

const VERSIONS = '>=0.10.0 <3';

/** The classes lib/channel_model.js and lib/callback_model.js export. */
interface ModelModule {
  Channel?: { prototype: any };
  ConfirmChannel?: { prototype: any };
}

function patchModel(exports: unknown, telemetry: Telemetry, promiseApi: boolean): unknown {
  const client = amqpClient(telemetry);
  const model = exports as ModelModule;
  if (model.Channel !== undefined) {
    patchConsume(model.Channel, client);
    if (promiseApi) patchPromiseGet(model.Channel, client);
    else patchCallbackGet(model.Channel, client);
    patchSettle(model.Channel, client);
  }
  if (model.ConfirmChannel !== undefined) patchConfirmPublish(model.ConfirmChannel, client);
  return exports;
}

export const amqplib: Instrumentation = {
  name: 'amqplib',
  targets: [
    { module: 'amqplib/lib/connect.js', versions: VERSIONS, patch: (exports, telemetry) => patchConnect(exports, amqpClient(telemetry).guard) },
    {
      module: 'amqplib/lib/channel.js',
      versions: VERSIONS,
      patch: (exports, telemetry) => {
        const BaseChannel = (exports as { BaseChannel?: { prototype: any } }).BaseChannel;
        if (BaseChannel !== undefined) patchSendMessage(BaseChannel, amqpClient(telemetry));
        return exports;
      },
    },
    { module: 'amqplib/lib/channel_model.js', versions: VERSIONS, patch: (exports, telemetry) => patchModel(exports, telemetry, true) },
    { module: 'amqplib/lib/callback_model.js', versions: VERSIONS, patch: (exports, telemetry) => patchModel(exports, telemetry, false) },
  ],
};
