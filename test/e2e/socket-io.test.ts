// A socket.io server and a socket.io-client app in two processes, each under bin/otel-instrument, as
// CommonJS apps and as ES modules (the client then loads socket.io-client's ES module build). What
// the real OTLP receiver gets: the client's emits as send spans under the app's own span, the
// server's process spans their children across the processes, the server's answer emit under its
// process span, and the client's process span of it linked to it; an event refused by the server's
// middleware and a listener that throws as failed process spans; the messaging metrics of both. With
// the instrumentation disabled by name, the same conversation works and only the app's span is recorded.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver, type FlatMetric, type FlatSpan } from '../support/otlp-receiver.js';
import { FIXTURES, startCli, waitFor, type Running } from '../support/run-cli.js';

const PRODUCER = 4;
const CONSUMER = 5;
const SCOPE = 'otel-instrument/socket.io';
const RESULT = { greeting: 'hello otel', answer: 'the question: 42' };

interface Conversation {
  readonly result: unknown;
  readonly spans: FlatSpan[];
  readonly metrics: FlatMetric[];
  readonly port: number;
}

async function converse(serverApp: string, clientApp: string, env: NodeJS.ProcessEnv, expectSpans: (spans: FlatSpan[]) => boolean, metrics: boolean): Promise<Conversation> {
  const receiver = await GrpcReceiver.start();
  const common = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: 'none', ...env };
  let server: Running | undefined;
  try {
    server = startCli(['node', join(FIXTURES, 'socket.io', serverApp)], { ...common, OTEL_SERVICE_NAME: 'chat-server' });
    const port = Number((await server.waitForLine(/listening (\d+)/))[1]);
    const client = startCli(['node', join(FIXTURES, 'socket.io', clientApp)], { ...common, OTEL_SERVICE_NAME: 'chat-client', SOCKET_URL: `http://127.0.0.1:${port}` });
    const clientExit = await client.exited();
    assert.equal(clientExit.code, 0, clientExit.stderr);
    const result = JSON.parse(/result (.*)/.exec(clientExit.stdout)![1]!) as unknown;
    server.child.kill('SIGTERM');
    const serverExit = await server.exited();
    const spans = await waitFor(() => expectSpans(receiver.spans()) && receiver.spans(), `the spans (server stderr: ${serverExit.stderr})`);
    const received = metrics ? await receiver.waitForMetrics((all) => all.filter((m) => m.scope.name === SCOPE).length >= 6) : receiver.metrics();
    return { result, spans, metrics: received, port };
  } finally {
    if (server !== undefined && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await receiver.close();
  }
}

const ours = (spans: FlatSpan[]): FlatSpan[] => spans.filter((s) => s.scope.name === SCOPE);

function one(spans: FlatSpan[], service: string, kind: number, event: string): FlatSpan[] {
  return ours(spans).filter((s) => s.resource['service.name'] === service && s.kind === kind && s.attributes['messaging.socket.io.event_name'] === event);
}

function assertConversation(run: Conversation): void {
  assert.deepEqual(run.result, RESULT);
  const chat = run.spans.find((s) => s.name === 'chat' && s.resource['service.name'] === 'chat-client');
  assert.ok(chat, "the app's own span");

  const sends = ours(run.spans).filter((s) => s.resource['service.name'] === 'chat-client' && s.kind === PRODUCER);
  assert.deepEqual(sends.map((s) => s.attributes['messaging.socket.io.event_name']).sort(), ['ask', 'boom', 'crash', 'greet', 'greet']);
  for (const send of sends) {
    assert.equal(send.name, 'emit /chat');
    assert.equal(send.parentSpanId, chat.spanId);
    assert.equal(send.attributes['messaging.system'], 'socket.io');
    assert.equal(send.attributes['messaging.operation.type'], 'send');
    assert.equal(send.attributes['messaging.destination.name'], '/chat');
    assert.equal(send.attributes['server.address'], '127.0.0.1');
    assert.equal(send.attributes['server.port'], run.port);
    // Each is processed by the server as its child, in the same trace, and linked to it.
    const processed = ours(run.spans).filter((s) => s.resource['service.name'] === 'chat-server' && s.parentSpanId === send.spanId);
    assert.equal(processed.length, 1, `the server's process span of ${String(send.attributes['messaging.socket.io.event_name'])}`);
    const process = processed[0]!;
    assert.equal(process.name, 'process /chat');
    assert.equal(process.kind, CONSUMER);
    assert.equal(process.traceId, chat.traceId);
    assert.equal(process.attributes['messaging.socket.io.event_name'], send.attributes['messaging.socket.io.event_name']);
    assert.deepEqual(process.links.map((link) => link.spanId), [send.spanId]);
    if (send.attributes['messaging.socket.io.event_name'] === 'boom') {
      assert.equal(process.status.code, 2);
      assert.equal(process.status.message, 'boom refused');
      assert.equal(process.attributes['error.type'], 'Error');
    } else if (send.attributes['messaging.socket.io.event_name'] === 'crash') {
      assert.equal(process.status.code, 2);
      assert.equal(process.status.message, 'listener threw');
      assert.equal(process.attributes['error.type'], 'RangeError');
      assert.equal(process.events[0]?.name, 'exception');
    } else {
      assert.equal(process.status.code, 0);
    }
  }

  // The server's answer: emitted under the process span of 'ask'. The client processes it inside the
  // app's span (its socket was opened there, so that is the ambient span: the conventions' default
  // parent), linked to the answer's emit.
  const [askProcess] = one(run.spans, 'chat-server', CONSUMER, 'ask');
  const [answer] = one(run.spans, 'chat-server', PRODUCER, 'answer');
  assert.equal(answer!.parentSpanId, askProcess!.spanId);
  assert.equal(answer!.traceId, chat.traceId);
  const [answerProcess] = one(run.spans, 'chat-client', CONSUMER, 'answer');
  assert.equal(answerProcess!.parentSpanId, chat.spanId);
  assert.deepEqual(answerProcess!.links.map((link) => link.spanId), [answer!.spanId]);

  // The messaging metrics of each side.
  const metric = (name: string, service: string): FlatMetric => {
    const found = run.metrics.find((m) => m.name === name && m.resource['service.name'] === service && m.scope.name === SCOPE);
    assert.ok(found, `${name} of ${service}`);
    return found;
  };
  const total = (m: FlatMetric): number => m.points.reduce((sum, point) => sum + Number(point.count ?? point.value), 0);
  assert.equal(total(metric('messaging.client.sent.messages', 'chat-client')), 5);
  assert.equal(total(metric('messaging.client.consumed.messages', 'chat-server')), 5);
  assert.equal(total(metric('messaging.process.duration', 'chat-server')), 5);
  assert.equal(total(metric('messaging.client.sent.messages', 'chat-server')), 1);
  assert.equal(total(metric('messaging.client.consumed.messages', 'chat-client')), 1);
  assert.equal(metric('messaging.client.operation.duration', 'chat-client').unit, 's');
}

const enough = (spans: FlatSpan[]): boolean => ours(spans).length >= 12 && spans.some((s) => s.name === 'chat');

describe('socket.io server and client, each under otel-instrument', () => {
  for (const [variant, serverApp, clientApp] of [
    ['CommonJS', 'server.js', 'client.js'],
    ['ES modules', 'server.mjs', 'client.mjs'],
  ] as const) {
    test(`${variant}: each event a send span and a process span in one trace across the processes, errors, the metrics`, async () => {
      assertConversation(await converse(serverApp, clientApp, {}, enough, true));
    });
  }

  test('disabled by name: the conversation works as before and nothing of socket.io is recorded', async () => {
    const run = await converse('server.js', 'client.js', { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'socket.io' }, (spans) => spans.some((s) => s.name === 'chat'), false);
    assert.deepEqual(run.result, RESULT);
    assert.deepEqual(ours(run.spans), []);
    assert.deepEqual(run.metrics.filter((m) => m.scope.name === SCOPE), []);
  });
});
