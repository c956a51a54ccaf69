// The anthropic instrumentation in this process, with @anthropic-ai/sdk (the devDependency, 1.17)
// against the local replay server (test/support/servers/llm-replay.ts: the API reference's own
// example messages, streams and errors; no Anthropic server runs here).
//
// This SDK spans its own calls (0.134 on) through the global tracer provider unless the client is
// made with `openTelemetry: false` (or ANTHROPIC_OPEN_TELEMETRY=false). With its spans off, ours is
// the call's span; with them on, the SDK's span is kept alone (no second span for the same call) and
// we add the metrics it lacks. Both are checked, with a global provider registered as otel-instrument
// registers its own.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { trace as apiTrace } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess, recordingTracerProvider } from '../../support/in-process-instrumentation.js';
import { ANTHROPIC_MESSAGE, startLlmReplay, type LlmReplayServer } from '../../support/servers/llm-replay.js';

const recorded = instrumentInProcess(['anthropic', 'undici', 'http']);
// The global provider the SDK's own spans go to (under otel-instrument: ours). They land in the same list.
apiTrace.setGlobalTracerProvider(recordingTracerProvider((span) => recorded.spans.push(span)));
const SCOPE = 'otel-instrument/anthropic';

const { Anthropic } = require('@anthropic-ai/sdk') as any;

let server: LlmReplayServer;
before(async () => {
  server = await startLlmReplay();
});
after(() => server.stop());

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out; spans: ${recorded.spans.map((s) => `${s.scope.name} ${s.name}`).join(', ')}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function ourSpans(): ReadableSpan[] {
  return recorded.spans.filter((span) => span.scope.name === SCOPE);
}

/** Our one span, and its HTTP client children (the replay server's spans share the trace: left out). */
async function oneCall(attempts = 1): Promise<{ span: ReadableSpan; http: ReadableSpan[] }> {
  await until(() => ourSpans().length === 1);
  const span = ourSpans()[0]!;
  const children = () => recorded.spans.filter((s) => s !== span && s.traceId === span.traceId && s.kind === SpanKind.CLIENT);
  await until(() => children().length >= attempts);
  for (const child of children()) assert.equal(child.parentSpanId, span.spanId, "the HTTP request is the GenAI span's child");
  return { span, http: children() };
}

function measured(instrument: string) {
  return recorded.measurements.filter((m) => m.instrument === instrument && m.scope === SCOPE);
}

const client = (path = '', maxRetries = 0) => new Anthropic({ apiKey: 'sk-ant-test', baseURL: `${server.url}${path}`, maxRetries, openTelemetry: false });
const question = { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hello, Claude' }] };

describe('with the SDK\'s own spans off', () => {
  test('a message is a CLIENT span `chat {model}`; input tokens count the cached ones, as anthropic.md says', async () => {
    recorded.clear();
    const message = await client().messages.create({ ...question, temperature: 0.5, top_p: 0.9, top_k: 40, stop_sequences: ['\n\nHuman:'] });
    assert.deepEqual(JSON.parse(JSON.stringify(message)), ANTHROPIC_MESSAGE, 'the app gets the body as sent');
    const { span, http } = await oneCall();
    assert.equal(http.length, 1);
    assert.equal(span.name, 'chat claude-sonnet-4-5');
    assert.equal(span.kind, SpanKind.CLIENT);
    assert.deepEqual(span.attributes, {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(server.url).port),
      'gen_ai.request.max_tokens': 1024,
      'gen_ai.request.temperature': 0.5,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.top_k': 40,
      'gen_ai.request.stop_sequences': ['\n\nHuman:'],
      'gen_ai.response.id': 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      'gen_ai.response.model': 'claude-3-7-sonnet-20250219',
      'gen_ai.response.finish_reasons': ['end_turn'],
      'gen_ai.usage.input_tokens': 2095,
      'gen_ai.usage.output_tokens': 503,
      'gen_ai.usage.cache_read.input_tokens': 0,
      'gen_ai.usage.cache_creation.input_tokens': 0,
    });
    const base = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.response.model': 'claude-3-7-sonnet-20250219',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(server.url).port),
    };
    assert.deepEqual(measured('gen_ai.client.operation.duration').map((m) => m.attributes), [base]);
    assert.deepEqual(
      measured('gen_ai.client.token.usage').map((m) => [m.value, m.attributes]),
      [
        [2095, { ...base, 'gen_ai.token.type': 'input' }],
        [503, { ...base, 'gen_ai.token.type': 'output' }],
      ],
    );
  });

  test('a stream ends with message_stop: usage from message_start and message_delta, every event handed over unchanged', async () => {
    recorded.clear();
    const stream = await client().messages.create({ ...question, stream: true });
    const types: string[] = [];
    for await (const event of stream) {
      types.push(event.type);
      assert.equal(ourSpans().length, 0, 'still reading');
    }
    assert.deepEqual(types, ['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    const { span } = await oneCall();
    assert.equal(span.attributes['gen_ai.request.stream'], true);
    assert.equal(span.attributes['gen_ai.response.id'], 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY');
    assert.equal(span.attributes['gen_ai.response.model'], 'claude-opus-4-6');
    assert.equal(span.attributes['gen_ai.usage.input_tokens'], 25);
    assert.equal(span.attributes['gen_ai.usage.output_tokens'], 15);
    assert.deepEqual(span.attributes['gen_ai.response.finish_reasons'], ['end_turn']);
    assert.equal(typeof span.attributes['gen_ai.response.time_to_first_chunk'], 'number');
  });

  test('messages.stream() (the SDK helper) is one span too, ended with the stream', async () => {
    recorded.clear();
    const stream = client().messages.stream(question);
    const message = await stream.finalMessage();
    assert.equal(message.usage.output_tokens, 15);
    const { span } = await oneCall();
    assert.equal(span.attributes['gen_ai.usage.output_tokens'], 15);
  });

  test('tool use is recorded by tool name and id, never its input, streamed or not', async () => {
    const tools = [{ name: 'get_weather', description: 'Get the current weather', input_schema: { type: 'object', properties: { location: { type: 'string' } } } }];
    for (const stream of [false, true]) {
      recorded.clear();
      const result = await client().messages.create({ ...question, tools, stream });
      if (stream) for await (const event of result) assert.ok(event);
      const { span } = await oneCall();
      assert.deepEqual(span.attributes['gen_ai.response.finish_reasons'], ['tool_use']);
      assert.equal(span.events.length, 1);
      assert.equal(span.events[0]!.name, 'gen_ai.tool.call');
      assert.equal(span.events[0]!.attributes['gen_ai.tool.name'], 'get_weather');
      assert.match(String(span.events[0]!.attributes['gen_ai.tool.call.id']), /^toolu_/);
      assert.ok(!JSON.stringify(span.attributes).includes('San Francisco'), 'no content by default');
    }
  });

  test('structured outputs (output_config.format json_schema) are gen_ai.output.type json', async () => {
    recorded.clear();
    await client().messages.create({ ...question, output_config: { format: { type: 'json_schema', schema: { type: 'object' } } } });
    const { span } = await oneCall();
    assert.equal(span.attributes['gen_ai.output.type'], 'json');
  });

  test("errors: error.type is the API's error type; a 429 retried is one span with both attempts as children", async () => {
    recorded.clear();
    await assert.rejects(client('/error-429', 1).messages.create(question), (error: any) => error instanceof Anthropic.RateLimitError);
    const { span, http } = await oneCall(2);
    assert.equal(http.length, 2);
    assert.equal(span.attributes['error.type'], 'rate_limit_error');
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.equal(measured('gen_ai.client.operation.duration')[0]!.attributes['error.type'], 'rate_limit_error');

    recorded.clear();
    await assert.rejects(client('/error-400').messages.create(question), Anthropic.BadRequestError);
    const bad = await oneCall();
    assert.equal(bad.span.attributes['error.type'], 'invalid_request_error');
  });
});

describe("with the SDK's own spans on (its default)", () => {
  test("the SDK's span is the only one; we record the gen_ai.client.* metrics", async () => {
    recorded.clear();
    const own = new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.url, maxRetries: 0 });
    await own.messages.create(question);
    await until(() => measured('gen_ai.client.operation.duration').length === 1 && recorded.spans.some((s) => s.scope.name.startsWith('com.anthropic')));
    assert.deepEqual(ourSpans(), []);
    const sdkSpans = recorded.spans.filter((s) => s.scope.name.startsWith('com.anthropic'));
    assert.equal(sdkSpans.length, 1);
    assert.deepEqual(
      measured('gen_ai.client.token.usage').map((m) => [m.value, m.attributes['gen_ai.token.type'], m.attributes['gen_ai.response.model']]),
      [
        [2095, 'input', 'claude-3-7-sonnet-20250219'],
        [503, 'output', 'claude-3-7-sonnet-20250219'],
      ],
    );
  });

  test('a stream: the SDK ends its span with the stream, and we measure it; the app gets every event', async () => {
    recorded.clear();
    const own = new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.url, maxRetries: 0 });
    const stream = await own.messages.create({ ...question, stream: true });
    let events = 0;
    for await (const event of stream) if (event) events++;
    assert.equal(events, 7);
    await until(() => measured('gen_ai.client.operation.duration').length === 1 && recorded.spans.some((s) => s.scope.name.startsWith('com.anthropic')));
    assert.deepEqual(ourSpans(), []);
    assert.deepEqual(
      measured('gen_ai.client.token.usage').map((m) => [m.value, m.attributes['gen_ai.token.type']]),
      [
        [25, 'input'],
        [15, 'output'],
      ],
    );
    assert.equal(measured('gen_ai.client.operation.time_per_output_chunk').length, 6);
  });
});
