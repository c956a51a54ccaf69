// An app calling OpenAI (a chat completion, then a streamed one) and Anthropic (a message), as
// CommonJS and as an ES module, under bin/otel-instrument, its SDKs pointed at the local replay server
// (test/support/servers/llm-replay.ts: the APIs' documented example bodies and streams; no vendor
// server runs here). What the real OTLP receiver gets: `chat gpt-4o-mini` CLIENT spans with the model
// and token counts, the SDK's fetch as their child; the Anthropic SDK's own span (it traces itself
// through the global provider, which is ours) and our gen_ai.client.* metrics for both, with the
// conventions' units and bucket boundaries. Disabled by name, the app's output is the same and
// nothing of ours about the calls is recorded.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GrpcReceiver, type FlatMetric, type FlatSpan } from '../support/otlp-receiver.js';
import { FIXTURES, startCli } from '../support/run-cli.js';
import { startLlmReplay, type LlmReplayServer } from '../support/servers/llm-replay.js';

const CLIENT = 3;
const OPENAI_SCOPE = 'otel-instrument/openai';
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const OUTPUT = 'chat gpt-4.1-2025-04-14 19+10 tokens\nstreamed Hello!\nmessage claude-3-7-sonnet-20250219 2095+503 tokens\n';

let server: LlmReplayServer;
before(async () => {
  server = await startLlmReplay();
});
after(() => server.stop());

interface Run {
  readonly stdout: string;
  readonly spans: FlatSpan[];
  readonly metrics: FlatMetric[];
}

async function run(app: string, env: NodeJS.ProcessEnv, until: (spans: FlatSpan[], metrics: FlatMetric[]) => boolean): Promise<Run> {
  const receiver = await GrpcReceiver.start();
  try {
    const child = startCli(['node', join(FIXTURES, 'genai', app)], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_SERVICE_NAME: 'llm-app',
      LLM_BASE_URL: server.url,
      ...env,
    });
    const exit = await child.exited();
    assert.equal(exit.code, 0, exit.stderr);
    const metrics = await receiver.waitForMetrics((all) => until(receiver.spans(), all));
    return { stdout: exit.stdout, spans: receiver.spans(), metrics };
  } finally {
    await receiver.close();
  }
}

for (const app of ['chat.js', 'chat.mjs']) {
  describe(app, () => {
    test('the chat calls show their model and token counts; fetch is their child; the metrics have the conventions\' buckets', async () => {
      const result = await run(
        app,
        {},
        (spans, metrics) => spans.filter((s) => s.scope.name === OPENAI_SCOPE).length >= 2 && metrics.filter((m) => m.name === 'gen_ai.client.token.usage').length >= 2,
      );
      assert.equal(result.stdout, OUTPUT);
      const chats = result.spans.filter((s) => s.scope.name === OPENAI_SCOPE);
      assert.deepEqual(chats.map((s) => s.name), ['chat gpt-4o-mini', 'chat gpt-4o-mini']);
      const [plain, streamed] = chats as [FlatSpan, FlatSpan];
      for (const span of chats) {
        assert.equal(span.kind, CLIENT);
        assert.equal(span.attributes['gen_ai.provider.name'], 'openai');
        assert.equal(span.attributes['gen_ai.request.model'], 'gpt-4o-mini');
        const fetches = result.spans.filter((s) => s.parentSpanId === span.spanId);
        assert.deepEqual(fetches.map((s) => [s.name, s.scope.name]), [['POST', 'otel-instrument/undici']]);
      }
      assert.equal(plain.attributes['gen_ai.response.model'], 'gpt-4.1-2025-04-14');
      assert.equal(plain.attributes['gen_ai.usage.input_tokens'], 19);
      assert.equal(plain.attributes['gen_ai.usage.output_tokens'], 10);
      assert.equal(streamed.attributes['gen_ai.request.stream'], true);
      assert.equal(streamed.attributes['gen_ai.usage.input_tokens'], 9);
      assert.equal(streamed.attributes['gen_ai.usage.output_tokens'], 2);
      assert.ok(!JSON.stringify(chats).includes('Hello!'), 'no prompt or completion content by default');

      // The Anthropic SDK's own span, through the global provider otel-instrument registered; no second one of ours.
      const message = result.spans.filter((s) => s.scope.name.startsWith('com.anthropic'));
      assert.equal(message.length, 1);
      assert.equal(result.spans.filter((s) => s.scope.name === 'otel-instrument/anthropic').length, 0);

      // One metric per instrumentation scope (otel-instrument/openai, otel-instrument/anthropic).
      const usages = result.metrics.filter((m) => m.name === 'gen_ai.client.token.usage');
      assert.deepEqual(usages.map((m) => m.scope.name).sort(), ['otel-instrument/anthropic', 'otel-instrument/openai']);
      for (const usage of usages) {
        assert.equal(usage.kind, 'histogram');
        assert.equal(usage.unit, '{token}');
        assert.deepEqual(usage.points[0]!.explicitBounds, TOKEN_BUCKETS);
      }
      const tokens = (provider: string, type: string) =>
        usages.flatMap((m) => m.points).filter((p) => p.attributes['gen_ai.provider.name'] === provider && p.attributes['gen_ai.token.type'] === type).reduce((sum, p) => sum + p.sum!, 0);
      assert.equal(tokens('openai', 'input'), 19 + 9);
      assert.equal(tokens('openai', 'output'), 10 + 2);
      assert.equal(tokens('anthropic', 'input'), 2095);
      assert.equal(tokens('anthropic', 'output'), 503);
      const duration = result.metrics.find((m) => m.name === 'gen_ai.client.operation.duration' && m.scope.name === OPENAI_SCOPE)!;
      assert.equal(duration.unit, 's');
      assert.deepEqual(duration.points[0]!.explicitBounds, DURATION_BUCKETS);
      const openAiDurations = duration.points.filter((p) => p.attributes['gen_ai.provider.name'] === 'openai');
      assert.equal(openAiDurations.reduce((sum, p) => sum + Number(p.count), 0), 2);
      assert.deepEqual(openAiDurations[0]!.attributes, {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.response.model': openAiDurations[0]!.attributes['gen_ai.response.model'],
        'server.address': '127.0.0.1',
        'server.port': Number(new URL(server.url).port),
      });
    });

    test('disabled by name: the same output; only the fetch spans (and the Anthropic SDK\'s own) are recorded', async () => {
      const result = await run(app, { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'openai,anthropic' }, (spans) => spans.filter((s) => s.name === 'POST').length >= 3);
      assert.equal(result.stdout, OUTPUT);
      assert.deepEqual(result.spans.filter((s) => s.scope.name === OPENAI_SCOPE || s.scope.name === 'otel-instrument/anthropic'), []);
      assert.equal(result.metrics.filter((m) => m.name.startsWith('gen_ai.')).length, 0);
    });
  });
}
