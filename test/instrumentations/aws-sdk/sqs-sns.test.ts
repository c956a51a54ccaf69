// SQS and SNS through the AWS SDK v3 in this process, against moto's server (SQS and SNS emulated,
// test/support/servers/aws-local.ts). Sends and publishes are PRODUCER spans whose context travels in
// the messages' attributes, without changing the app's own input objects; a ReceiveMessage is a
// receive span linked to each message's creation context, across SNS to SQS too; messages handed to
// the array's map or forEach get process spans in the producer's trace; deletes are settles.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { ROOT_CONTEXT } from '../../../src/context/context.js';
import { activeContext, runWithContext } from '../../../src/context/als-context-manager.js';
import { trace } from '../../../src/otel-api/trace.js';
import { SpanKind } from '../../../src/otel-api/enums.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';
import { LOCAL_CREDENTIALS, skipWithoutMoto, startMoto, type AwsServer } from '../../support/servers/aws-local.js';

const inProcess = instrumentInProcess(['aws-sdk', 'http']);
const Sqs = require('@aws-sdk/client-sqs') as typeof import('@aws-sdk/client-sqs');
const Sns = require('@aws-sdk/client-sns') as typeof import('@aws-sdk/client-sns');

const PARENT = trace.wrapSpanContext({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1, isRemote: true });
const IN_REQUEST = trace.setSpan(ROOT_CONTEXT, PARENT);

function inRequest<T>(fn: () => Promise<T>): Promise<T> {
  return runWithContext(IN_REQUEST, fn);
}

function only(name: string): ReadableSpan {
  const spans = inProcess.spans.filter((s) => s.name === name && s.scope.name === 'otel-instrument/aws-sdk');
  assert.equal(spans.length, 1, `${name} in ${inProcess.spans.map((s) => s.name).join(', ')}`);
  return spans[0]!;
}

/** The HTTP client spans beneath `span`: one ends on its request's 'close', a tick after the SDK has the response. */
async function httpChildren(span: ReadableSpan): Promise<ReadableSpan[]> {
  const children = () => inProcess.spans.filter((s) => s.scope.name === 'otel-instrument/http' && s.parentSpanId === span.spanId);
  for (let turn = 0; turn < 100 && children().length === 0; turn++) await new Promise((resolve) => setTimeout(resolve, 10));
  return children();
}

const traceparentOf = (span: ReadableSpan): string => `00-${span.traceId}-${span.spanId}-01`;

describe('SQS and SNS against moto', { skip: skipWithoutMoto() }, () => {
  let server: AwsServer;
  let sqs: InstanceType<typeof Sqs.SQSClient>;
  let sns: InstanceType<typeof Sns.SNSClient>;
  let queueUrl: string;

  before(async () => {
    server = await startMoto();
    const options = { region: 'us-east-1', endpoint: server.endpoint, credentials: LOCAL_CREDENTIALS };
    sqs = new Sqs.SQSClient(options);
    sns = new Sns.SNSClient(options);
    queueUrl = (await sqs.send(new Sqs.CreateQueueCommand({ QueueName: 'orders' }))).QueueUrl!;
  });

  after(async () => {
    sqs?.destroy();
    sns?.destroy();
    await server?.stop();
  });

  /** Receives everything the queue holds now. */
  async function receiveAll(names?: string[]) {
    const input = { QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, ...(names === undefined ? {} : { MessageAttributeNames: names }) };
    const frozen = structuredClone(input);
    const output = await sqs.send(new Sqs.ReceiveMessageCommand(input));
    assert.deepEqual(input, frozen, 'the app\'s receive input is left as it was');
    return output.Messages ?? [];
  }

  test('SendMessage is a PRODUCER span `SendMessage orders` whose context the message carries; a ReceiveMessage links to it', async () => {
    inProcess.clear();
    const input = { QueueUrl: queueUrl, MessageBody: 'order 1', MessageAttributes: { kind: { DataType: 'String', StringValue: 'new' } } };
    const frozen = structuredClone(input);
    const sent = await inRequest(() => sqs.send(new Sqs.SendMessageCommand(input)));
    assert.deepEqual(input, frozen, 'the app\'s input object is not changed');

    const send = only('SendMessage orders');
    assert.equal(send.kind, SpanKind.PRODUCER);
    assert.equal(send.parentSpanId, PARENT.spanContext().spanId);
    assert.deepEqual(send.attributes, {
      'messaging.system': 'aws_sqs',
      'messaging.operation.name': 'SendMessage',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'orders',
      'rpc.system': 'aws-api',
      'rpc.service': 'SQS',
      'rpc.method': 'SendMessage',
      'aws.sqs.queue.url': queueUrl,
      'cloud.region': 'us-east-1',
      'http.response.status_code': 200,
      'aws.request_id': sent.$metadata.requestId,
      'messaging.message.id': sent.MessageId,
    });
    // The SDK's HTTP request is beneath the send span.
    assert.equal((await httpChildren(send)).length, 1);

    inProcess.clear();
    const messages = await receiveAll(['kind']);
    assert.equal(messages.length, 1);
    assert.equal(messages[0]!.MessageAttributes!.kind!.StringValue, 'new');
    assert.equal(messages[0]!.MessageAttributes!.traceparent!.StringValue, traceparentOf(send));
    const receive = only('ReceiveMessage orders');
    assert.equal(receive.kind, SpanKind.CLIENT);
    assert.equal(receive.parentSpanId, undefined);
    assert.equal(receive.attributes['messaging.operation.type'], 'receive');
    assert.equal(receive.attributes['messaging.batch.message_count'], 1);
    assert.equal(receive.attributes['messaging.message.id'], sent.MessageId);
    assert.deepEqual(
      receive.links.map((l) => [l.traceId, l.spanId]),
      [[send.traceId, send.spanId]],
    );

    inProcess.clear();
    await sqs.send(new Sqs.DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: messages[0]!.ReceiptHandle }));
    assert.equal(only('DeleteMessage orders').attributes['messaging.operation.type'], 'settle');
    const counted = inProcess.measurements.filter((m) => m.instrument === 'messaging.client.operation.duration');
    assert.deepEqual(
      counted.map((m) => [m.attributes['messaging.system'], m.attributes['messaging.operation.name'], m.attributes['messaging.destination.name']]),
      [['aws_sqs', 'DeleteMessage', 'orders']],
    );
  });

  test('messages handed to the array\'s map or forEach are processed in CONSUMER spans that join the producer\'s trace', async () => {
    inProcess.clear();
    await inRequest(() => sqs.send(new Sqs.SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'order 2' })));
    const send = only('SendMessage orders');
    // A poll loop outside any trace, as consumers run.
    const messages = await receiveAll();
    assert.equal(messages.length, 1);
    assert.deepEqual(Object.keys(messages), ['0'], 'nothing enumerable added to the array');
    assert.equal(JSON.stringify(messages), JSON.stringify([...messages]));
    const seen: unknown[] = [];
    messages.forEach(function (this: unknown, message, index, array) {
      seen.push([this, message.Body, index, array === messages, trace.getSpan(activeContext())]);
    }, 'this-arg');
    const results = await Promise.all(
      messages.map(async (message) => {
        await sqs.send(new Sqs.DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
        return message.Body;
      }),
    );
    assert.deepEqual(results, ['order 2']);

    const processes = inProcess.spans.filter((s) => s.name === 'process orders');
    assert.equal(processes.length, 2, 'one for forEach, one for map');
    for (const process of processes) {
      assert.equal(process.kind, SpanKind.CONSUMER);
      assert.equal(process.traceId, send.traceId, 'in the producer\'s trace');
      assert.equal(process.parentSpanId, send.spanId);
      assert.deepEqual(process.links.map((l) => l.spanId), [send.spanId]);
      assert.equal(process.attributes['messaging.operation.type'], 'process');
      assert.equal(process.attributes['messaging.system'], 'aws_sqs');
      assert.equal(process.attributes['messaging.message.id'], messages[0]!.MessageId);
    }
    const [forEachProcess, mapProcess] = processes;
    assert.deepEqual(seen.map((entry) => (entry as unknown[]).slice(0, 4)), [['this-arg', 'order 2', 0, true]]);
    assert.equal(((seen[0] as unknown[])[4] as { spanContext(): { spanId: string } }).spanContext().spanId, forEachProcess!.spanId);
    // The delete made in map's callback is the process span's child, ended before it.
    assert.equal(only('DeleteMessage orders').parentSpanId, mapProcess!.spanId);
  });

  test('SendMessageBatch: one PRODUCER span for the batch, its context in every entry; an app\'s own context is kept', async () => {
    inProcess.clear();
    const own = '00-11111111111111111111111111111111-2222222222222222-01';
    const entries = [
      { Id: 'a', MessageBody: 'a' },
      { Id: 'b', MessageBody: 'b', MessageAttributes: { traceparent: { DataType: 'String', StringValue: own } } },
    ];
    const frozen = structuredClone(entries);
    await inRequest(() => sqs.send(new Sqs.SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries })));
    assert.deepEqual(entries, frozen);
    const send = only('SendMessageBatch orders');
    assert.equal(send.kind, SpanKind.PRODUCER);
    assert.equal(send.attributes['messaging.batch.message_count'], 2);

    inProcess.clear();
    const messages = await receiveAll();
    const carried = new Map(messages.map((m) => [m.Body, m.MessageAttributes?.traceparent?.StringValue]));
    assert.deepEqual(Object.fromEntries(carried), { a: traceparentOf(send), b: own });
    const receive = only('ReceiveMessage orders');
    assert.deepEqual(receive.links.map((l) => l.spanId).sort(), [send.spanId, '2222222222222222'].sort());
    await sqs.send(new Sqs.DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
  });

  test('an SNS Publish is a PRODUCER span `Publish events`; its context reaches an SQS subscriber, whose receive links to it', async () => {
    const topicArn = (await sns.send(new Sns.CreateTopicCommand({ Name: 'events' }))).TopicArn!;
    const queueArn = 'arn:aws:sqs:us-east-1:123456789012:orders';
    await sns.send(new Sns.SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'true' } }));
    inProcess.clear();
    const published = await inRequest(() => sns.send(new Sns.PublishCommand({ TopicArn: topicArn, Message: 'shipped' })));
    const publish = only('Publish events');
    assert.equal(publish.kind, SpanKind.PRODUCER);
    assert.equal(publish.parentSpanId, PARENT.spanContext().spanId);
    assert.equal(publish.attributes['messaging.system'], 'aws.sns');
    assert.equal(publish.attributes['messaging.destination.name'], 'events');
    assert.equal(publish.attributes['aws.sns.topic.arn'], topicArn);
    assert.equal(publish.attributes['rpc.service'], 'SNS');
    assert.equal(publish.attributes['messaging.message.id'], published.MessageId);

    inProcess.clear();
    const messages = await receiveAll();
    assert.equal(messages.length, 1);
    assert.equal(messages[0]!.Body, 'shipped');
    assert.deepEqual(only('ReceiveMessage orders').links.map((l) => [l.traceId, l.spanId]), [[publish.traceId, publish.spanId]]);
    await sqs.send(new Sqs.DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: messages[0]!.ReceiptHandle }));
  });

  test('a message that already has the 10 attributes SQS allows is sent as the app wrote it, still traced', async () => {
    inProcess.clear();
    const attributes = Object.fromEntries(Array.from({ length: 10 }, (_, n) => [`a${n}`, { DataType: 'String', StringValue: String(n) }]));
    const sent = await inRequest(() => sqs.send(new Sqs.SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'full', MessageAttributes: attributes })));
    assert.ok(sent.MessageId);
    assert.equal(only('SendMessage orders').attributes['messaging.message.id'], sent.MessageId);
    const messages = await receiveAll(['All']);
    assert.deepEqual(Object.keys(messages[0]!.MessageAttributes!).sort(), Object.keys(attributes).sort());
    await sqs.send(new Sqs.DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: messages[0]!.ReceiptHandle }));

    // Nine: room for traceparent (the only field the default propagators write without baggage or tracestate).
    delete attributes.a9;
    inProcess.clear();
    await inRequest(() => sqs.send(new Sqs.SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'nine', MessageAttributes: attributes })));
    const [nine] = await receiveAll(['All']);
    assert.equal(nine!.MessageAttributes!.traceparent!.StringValue, traceparentOf(only('SendMessage orders')));
    assert.equal(Object.keys(nine!.MessageAttributes!).length, 10);
    await sqs.send(new Sqs.DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: nine!.ReceiptHandle }));
  });

  test('calls that are not messaging operations are plain AWS spans, `SQS.GetQueueUrl`', async () => {
    inProcess.clear();
    await inRequest(() => sqs.send(new Sqs.GetQueueUrlCommand({ QueueName: 'orders' })));
    const span = only('SQS.GetQueueUrl');
    assert.equal(span.kind, SpanKind.CLIENT);
    assert.equal(span.attributes['messaging.system'], undefined);
  });
});
