// OTEL_TRACES_SAMPLER(_ARG) as a user sets them, observed at the receiver and in the
// traceparent the app sends downstream.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver } from '../support/otlp-receiver.js';
import { FIXTURES, httpGet, startCli, waitFor } from '../support/run-cli.js';

let receiver: GrpcReceiver;
before(async () => {
  receiver = await GrpcReceiver.start();
});
after(() => receiver.close());

async function run(args: string[], headers: Record<string, string> = {}) {
  const name = `sampling-${Math.random().toString(16).slice(2)}`;
  const back = startCli(['--service_name', name, ...args, 'node', join(FIXTURES, 'http-service.js')], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
  const backPort = Number((await back.waitForLine(/listening (\d+)/))[1]);
  const front = startCli(['--service_name', name, ...args, 'node', join(FIXTURES, 'http-service.js')], {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    DOWNSTREAM_URL: `http://127.0.0.1:${backPort}`,
  });
  const frontPort = Number((await front.waitForLine(/listening (\d+)/))[1]);
  const answer = await httpGet(`http://127.0.0.1:${frontPort}/front`, headers);
  front.child.kill('SIGTERM');
  back.child.kill('SIGTERM');
  await Promise.all([front.exited(), back.exited()]);
  const echoed = JSON.parse(answer.body) as { traceparent: string };
  return { echoed, spans: () => receiver.spans().filter((s) => s.resource['service.name'] === name) };
}

test('always_off exports nothing but still propagates an unsampled traceparent', async () => {
  const { echoed, spans } = await run(['--traces_sampler', 'always_off']);
  assert.match(echoed.traceparent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  assert.deepEqual(spans(), []);
});

test('traceidratio with arg 0 samples nothing and arg 1 samples everything', async () => {
  const none = await run(['--traces_sampler', 'traceidratio', '--traces_sampler_arg', '0']);
  assert.match(none.echoed.traceparent, /-00$/);
  assert.deepEqual(none.spans(), []);
  const all = await run(['--traces_sampler', 'traceidratio', '--traces_sampler_arg', '1']);
  assert.match(all.echoed.traceparent, /-01$/);
  await waitFor(() => all.spans().length === 3, 'three spans');
});

test('parentbased_traceidratio follows a sampled incoming parent even at ratio 0', async () => {
  const traceId = 'aaaabbbbccccddddeeeeffff00001111';
  const { echoed, spans } = await run(['--traces_sampler', 'parentbased_traceidratio', '--traces_sampler_arg', '0'], {
    traceparent: `00-${traceId}-1111222233334444-01`,
  });
  assert.match(echoed.traceparent, new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  await waitFor(() => spans().length === 3, 'three spans');
  assert.ok(spans().every((s) => s.traceId === traceId));
});

test('the default parentbased_always_on drops what an unsampled parent dropped', async () => {
  const { echoed, spans } = await run([], { traceparent: '00-aaaabbbbccccddddeeeeffff00002222-1111222233334444-00' });
  assert.match(echoed.traceparent, /-00$/);
  assert.deepEqual(spans(), []);
});
