// RabbitMQ's destination names (rabbitmq.md: exchange, routing key and queue, empty parts left out)
// and error.type from AMQP reply codes and amqplib's confirm outcomes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { amqpErrorType, consumeDestination, isServerNamed, sendDestination } from '../../../instrumentations/amqplib/semconv.js';
import { serverOf } from '../../../instrumentations/amqplib/connection-server.js';

test('a send is named {exchange}:{routing key}, the one present, or amq.default', () => {
  assert.equal(sendDestination('logs', 'warning'), 'logs:warning');
  assert.equal(sendDestination('', 'orders'), 'orders');
  assert.equal(sendDestination('fanout', ''), 'fanout');
  assert.equal(sendDestination('', ''), 'amq.default');
});

test('a receive is named {exchange}:{routing key}:{queue}, empty parts left out, the routing key once when it is the queue', () => {
  assert.equal(consumeDestination('logs', 'warning', 'my_queue'), 'logs:warning:my_queue');
  assert.equal(consumeDestination('', 'orders', 'orders'), 'orders');
  assert.equal(consumeDestination('fanout', '', 'q'), 'fanout:q');
  assert.equal(consumeDestination('', '', 'q'), 'q');
  assert.equal(isServerNamed('amq.gen-JzTY20BRgKO-HjmUJj0wLg'), true);
  assert.equal(isServerNamed('orders'), false);
});

test('error.type: the reply code by name (an Error with a code, or 0.10\'s close frame), amqplib\'s confirm outcomes, else nothing', () => {
  assert.equal(amqpErrorType(Object.assign(new Error('Operation failed: BasicGet; 404 (NOT-FOUND)'), { code: 404 })), 'not-found');
  assert.equal(amqpErrorType({ fields: { replyCode: 406, replyText: 'PRECONDITION_FAILED' } }), 'precondition-failed');
  assert.equal(amqpErrorType(new Error('message nacked')), 'nacked');
  assert.equal(amqpErrorType(new Error('channel closed')), 'channel-closed');
  assert.equal(amqpErrorType(new TypeError('x')), undefined);
  assert.equal(amqpErrorType(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })), undefined);
});

test('server.address and server.port come from the URL or options, with amqplib\'s defaults', () => {
  assert.deepEqual(serverOf('amqp://user:pw@mq.local:5673/vhost'), { address: 'mq.local', port: 5673 });
  assert.deepEqual(serverOf('amqps://mq.local'), { address: 'mq.local', port: 5671 });
  assert.deepEqual(serverOf('amqp://[::1]:5672'), { address: '::1', port: 5672 });
  assert.deepEqual(serverOf(undefined), { address: 'localhost', port: 5672 });
  assert.deepEqual(serverOf({ hostname: 'broker', protocol: 'amqp' }), { address: 'broker', port: 5672 });
});
