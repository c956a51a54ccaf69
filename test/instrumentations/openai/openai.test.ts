// The openai instrumentation in this process, with openai 6 (the devDependency `openai`) and openai 4
// (`openai-4`, handed to the hook under openai's own name, as an app's `openai` would be), against
// the local replay server (test/support/servers/llm-replay.ts: the API reference's own example
// bodies and streams; no OpenAI server runs here). Checked: the span's name, kind and GenAI
// attributes; that the SDK's HTTP request (global fetch in 6, node-fetch over http in 4) is the span's
// child; streams timed to their last chunk, with usage from the final chunk and every chunk handed to
// the app unchanged; tool calls by name only; errors with the SDK's own error object; the two metrics
// with the conventions' attributes; nothing of the prompt or completion recorded by default.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { SpanKind, SpanStatusCode } from '../../../src/otel-api/enums.js';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess, waitForSpans } from '../../support/in-process-instrumentation.js';
import {
  OPENAI_CHAT_COMPLETION,
  OPENAI_RESPONSE,
  openAiChatChunks,
  startLlmReplay,
  type LlmReplayServer,
} from '../../support/servers/llm-replay.js';

const recorded = instrumentInProcess(['openai', 'undici', 'http']);
const SCOPE = 'otel-instrument/openai';

const openAi4Dir = dirname(require.resolve('openai-4'));
const versions = [
  { label: 'openai 6', module: require('openai') as any },
  { label: 'openai 4', module: recorded.hooks.onLoad(require('openai-4'), 'openai', openAi4Dir) as any },
];

let server: LlmReplayServer;
before(async () => {
  server = await startLlmReplay();
});
after(() => server.stop());

function genAiSpans(): ReadableSpan[] {
  return recorded.spans.filter((span) => span.scope.name === SCOPE);
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out; spans: ${recorded.spans.map((s) => s.name).join(', ')}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * The HTTP client spans in the GenAI span's trace, once `count` have ended. Spans of an earlier test's
 * request may still end now (a stream the app left), and the replay server, in this process, has
 * server spans in the same trace: only this trace's client requests count.
 */
async function httpChildren(span: ReadableSpan, count: number): Promise<ReadableSpan[]> {
  const children = () => recorded.spans.filter((s) => s !== span && s.traceId === span.traceId && s.kind === SpanKind.CLIENT);
  await until(() => children().length >= count);
  return children();
}

/** The one GenAI span, once it and its HTTP child have ended. */
async function oneCall(): Promise<{ span: ReadableSpan; http: ReadableSpan[] }> {
  await until(() => genAiSpans().length > 0);
  const spans = genAiSpans();
  assert.equal(spans.length, 1, recorded.spans.map((s) => s.name).join(', '));
  const span = spans[0]!;
  const http = await httpChildren(span, 1);
  for (const child of http) assert.equal(child.parentSpanId, span.spanId, 'the HTTP request is the GenAI span\'s child');
  return { span, http };
}

function measured(instrument: string) {
  return recorded.measurements.filter((m) => m.instrument === instrument && m.scope === SCOPE);
}

for (const { label, module } of versions) {
  const OpenAI = module.OpenAI ?? module.default;
  const client = (path = '/v1', maxRetries = 0) => new OpenAI({ apiKey: 'sk-test', baseURL: `${server.url}${path}`, maxRetries });

  describe(label, () => {
    test('a chat completion is a CLIENT span `chat {model}` with the request, response and usage attributes', async () => {
      recorded.clear();
      const completion = await client().chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Hello!' }],
        temperature: 0.2,
        top_p: 0.9,
        max_tokens: 100,
        stop: 'END',
        n: 1,
        response_format: { type: 'json_object' },
        seed: 7,
        frequency_penalty: 0.1,
        presence_penalty: 0.3,
      });
      assert.deepEqual(JSON.parse(JSON.stringify(completion)), OPENAI_CHAT_COMPLETION, 'the app gets the body as sent');
      const { span, http } = await oneCall();
      assert.equal(http.length, 1);
      assert.equal(span.name, 'chat gpt-4o-mini');
      assert.equal(span.kind, SpanKind.CLIENT);
      assert.equal(span.status.code, SpanStatusCode.UNSET);
      assert.deepEqual(span.attributes, {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'server.address': '127.0.0.1',
        'server.port': Number(new URL(server.url).port),
        'openai.api.type': 'chat_completions',
        'gen_ai.request.temperature': 0.2,
        'gen_ai.request.top_p': 0.9,
        'gen_ai.request.max_tokens': 100,
        'gen_ai.request.stop_sequences': ['END'],
        'gen_ai.request.seed': 7,
        'gen_ai.request.frequency_penalty': 0.1,
        'gen_ai.request.presence_penalty': 0.3,
        'gen_ai.output.type': 'json',
        'gen_ai.response.id': 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
        'gen_ai.response.model': 'gpt-4.1-2025-04-14',
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.usage.input_tokens': 19,
        'gen_ai.usage.output_tokens': 10,
        'gen_ai.usage.cache_read.input_tokens': 0,
        'gen_ai.usage.reasoning.output_tokens': 0,
        'openai.response.service_tier': 'default',
      });
      const base = {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.response.model': 'gpt-4.1-2025-04-14',
        'server.address': '127.0.0.1',
        'server.port': Number(new URL(server.url).port),
      };
      const durations = measured('gen_ai.client.operation.duration');
      assert.equal(durations.length, 1);
      assert.deepEqual(durations[0]!.attributes, base);
      assert.deepEqual(measured('gen_ai.client.operation.time_to_first_chunk'), [], 'not a streaming call');
      assert.ok(durations[0]!.value > 0 && durations[0]!.value < 10);
      assert.deepEqual(
        measured('gen_ai.client.token.usage').map((m) => [m.value, m.attributes]),
        [
          [19, { ...base, 'gen_ai.token.type': 'input' }],
          [10, { ...base, 'gen_ai.token.type': 'output' }],
        ],
      );
    });

    test('a stream is timed to its last chunk, with usage from the final chunk; the app gets every chunk unchanged', async () => {
      recorded.clear();
      const stream = await client().chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Hello!' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const got: unknown[] = [];
      for await (const chunk of stream) {
        got.push(JSON.parse(JSON.stringify(chunk)));
        // Still reading: the call has not ended.
        assert.equal(genAiSpans().length, 0);
      }
      assert.deepEqual(got, openAiChatChunks(true));
      const { span } = await oneCall();
      assert.equal(span.name, 'chat gpt-4o-mini');
      assert.equal(span.attributes['gen_ai.request.stream'], true);
      assert.equal(span.attributes['gen_ai.response.id'], 'chatcmpl-123');
      assert.equal(span.attributes['gen_ai.response.model'], 'gpt-4o-mini');
      assert.deepEqual(span.attributes['gen_ai.response.finish_reasons'], ['stop']);
      assert.equal(span.attributes['gen_ai.usage.input_tokens'], 9);
      assert.equal(span.attributes['gen_ai.usage.output_tokens'], 2);
      assert.equal(span.attributes['openai.response.system_fingerprint'], 'fp_44709d6fcb');
      const firstChunk = span.attributes['gen_ai.response.time_to_first_chunk'] as number;
      assert.ok(firstChunk > 0 && firstChunk < 10, String(firstChunk));
      assert.deepEqual(
        measured('gen_ai.client.token.usage').map((m) => [m.value, m.attributes['gen_ai.token.type']]),
        [
          [9, 'input'],
          [2, 'output'],
        ],
      );
      // Streaming only: the first chunk's wait, and each later chunk's (five chunks: four after the first).
      const first = measured('gen_ai.client.operation.time_to_first_chunk');
      assert.equal(first.length, 1);
      assert.equal(first[0]!.value, firstChunk);
      assert.equal(first[0]!.attributes['gen_ai.response.model'], 'gpt-4o-mini');
      const perChunk = measured('gen_ai.client.operation.time_per_output_chunk');
      assert.equal(perChunk.length, 4);
      assert.deepEqual(perChunk[0]!.attributes, first[0]!.attributes);
    });

    test('a stream the app leaves early ends its span then, without an error', async () => {
      recorded.clear();
      const stream = await client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true });
      for await (const chunk of stream) {
        assert.ok(chunk);
        break;
      }
      await waitForSpans(recorded.spans, 1);
      const span = genAiSpans()[0]!;
      assert.equal(span.status.code, SpanStatusCode.UNSET);
      assert.equal(span.attributes['error.type'], undefined);
      assert.equal(span.attributes['gen_ai.usage.input_tokens'], undefined, 'no usage was sent before the app left');
    });

    test("the SDK's stream helper (ChatCompletionStream) is one span, ended with the stream", async () => {
      recorded.clear();
      const completions = client().chat.completions;
      // openai 6 has chat.completions.stream(); openai 4 has it under beta.
      const stream = typeof completions.stream === 'function' ? completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream_options: { include_usage: true } }) : client().beta.chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream_options: { include_usage: true } });
      const final = await stream.finalChatCompletion();
      assert.equal(final.choices[0].message.content, 'Hello!');
      const { span } = await oneCall();
      assert.equal(span.attributes['gen_ai.usage.output_tokens'], 2);
    });

    test('tool calls are recorded by name and id, never their arguments, streamed or not', async () => {
      const tools = [{ type: 'function', function: { name: 'get_current_weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } } }];
      for (const stream of [false, true]) {
        recorded.clear();
        const result = await client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Weather in Boston?' }], tools, stream });
        if (stream) for await (const chunk of result) assert.ok(chunk);
        const { span } = await oneCall();
        assert.deepEqual(span.attributes['gen_ai.response.finish_reasons'], ['tool_calls']);
        assert.deepEqual(
          span.events.map((event) => [event.name, event.attributes]),
          [['gen_ai.tool.call', { 'gen_ai.tool.type': 'function', 'gen_ai.tool.name': 'get_current_weather', 'gen_ai.tool.call.id': 'call_abc123' }]],
        );
        assert.ok(!JSON.stringify(span.attributes).includes('Boston'), 'no content by default');
      }
    });

    test('a 429 after a retry: one span, each attempt its HTTP child, error.type the API error code, the app gets the SDK error', async () => {
      recorded.clear();
      await assert.rejects(
        client('/error-429/v1', 1).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
        (error: any) => error instanceof OpenAI.RateLimitError && error.status === 429,
      );
      await until(() => genAiSpans().length === 1);
      const span = genAiSpans()[0]!;
      const attempts = await httpChildren(span, 2);
      assert.equal(attempts.length, 2, 'two attempts');
      for (const attempt of attempts) assert.equal(attempt.parentSpanId, span.spanId);
      assert.equal(span.attributes['error.type'], 'rate_limit_exceeded');
      assert.equal(span.status.code, SpanStatusCode.ERROR);
      assert.equal(span.events[0]?.name, 'exception');
      const durations = measured('gen_ai.client.operation.duration');
      assert.equal(durations[0]!.attributes['error.type'], 'rate_limit_exceeded');
      assert.deepEqual(measured('gen_ai.client.token.usage'), []);
    });

    test('a 400 is an error with its code', async () => {
      recorded.clear();
      await assert.rejects(
        client('/error-400/v1').chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], temperature: 5 }),
        OpenAI.BadRequestError,
      );
      const { span } = await oneCall();
      assert.equal(span.attributes['error.type'], 'invalid_value');
      assert.equal(span.status.code, SpanStatusCode.ERROR);
    });

    test("chat.completions.parse() (structured outputs, through the SDK's _thenUnwrap) keeps the body's fields", async () => {
      recorded.clear();
      const completions = typeof client().chat.completions.parse === 'function' ? client().chat.completions : client().beta.chat.completions;
      const parsed = await completions.parse({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
      assert.equal(parsed.choices[0].message.content, 'Hello! How can I assist you today?');
      const { span } = await oneCall();
      assert.equal(span.attributes['gen_ai.usage.input_tokens'], 19);
      assert.equal(span.attributes['gen_ai.response.model'], 'gpt-4.1-2025-04-14');
    });

    test('asResponse() leaves the body to the app; the span ends at the response', async () => {
      recorded.clear();
      const response = await client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }).asResponse();
      assert.deepEqual(await response.json(), OPENAI_CHAT_COMPLETION);
      const { span } = await oneCall();
      assert.equal(span.name, 'chat gpt-4o-mini');
      assert.equal(span.attributes['gen_ai.usage.input_tokens'], undefined);
    });

    test('the Responses API: `chat {model}` with openai.api.type responses, streamed or not', async () => {
      for (const stream of [false, true]) {
        recorded.clear();
        const result = await client().responses.create({ model: 'gpt-4.1', input: 'Tell me a three sentence bedtime story about a unicorn.', max_output_tokens: 200, stream });
        if (stream) {
          const types: string[] = [];
          for await (const event of result) types.push(event.type);
          assert.equal(types.at(-1), 'response.completed');
        } else {
          assert.equal(result.id, OPENAI_RESPONSE.id);
        }
        const { span } = await oneCall();
        assert.equal(span.name, 'chat gpt-4.1');
        assert.equal(span.attributes['openai.api.type'], 'responses');
        assert.equal(span.attributes['gen_ai.request.max_tokens'], 200);
        assert.equal(span.attributes['gen_ai.response.id'], OPENAI_RESPONSE.id);
        assert.equal(span.attributes['gen_ai.response.model'], 'gpt-4.1-2025-04-14');
        assert.equal(span.attributes['gen_ai.usage.input_tokens'], 36);
        assert.equal(span.attributes['gen_ai.usage.output_tokens'], 87);
        assert.deepEqual(span.attributes['gen_ai.response.finish_reasons'], ['stop']);
        assert.equal(span.attributes['gen_ai.request.stream'], stream ? true : undefined);
      }
    });

    test('a legacy completion: `text_completion {model}`', async () => {
      recorded.clear();
      const result = await client().completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say this is a test', max_tokens: 7, temperature: 0 });
      assert.equal(result.choices[0].text, '\n\nThis is indeed a test');
      const { span } = await oneCall();
      assert.equal(span.name, 'text_completion gpt-3.5-turbo-instruct');
      assert.equal(span.attributes['gen_ai.operation.name'], 'text_completion');
      assert.equal(span.attributes['openai.api.type'], undefined);
      assert.equal(span.attributes['gen_ai.request.max_tokens'], 7);
      assert.equal(span.attributes['gen_ai.request.temperature'], 0);
      assert.deepEqual(span.attributes['gen_ai.response.finish_reasons'], ['length']);
      assert.equal(span.attributes['gen_ai.usage.input_tokens'], 5);
      assert.equal(span.attributes['gen_ai.usage.output_tokens'], 7);
    });

    test('embeddings: `embeddings {model}` with input tokens', async () => {
      recorded.clear();
      const result = await client().embeddings.create({ model: 'text-embedding-ada-002', input: 'The food was delicious', encoding_format: 'float', dimensions: 3 });
      assert.equal(result.data[0].embedding.length, 3);
      const { span } = await oneCall();
      assert.equal(span.name, 'embeddings text-embedding-ada-002');
      assert.equal(span.attributes['gen_ai.operation.name'], 'embeddings');
      assert.deepEqual(span.attributes['gen_ai.request.encoding_formats'], ['float']);
      assert.equal(span.attributes['gen_ai.embeddings.dimension.count'], 3);
      assert.equal(span.attributes['gen_ai.usage.input_tokens'], 8);
      assert.deepEqual(
        measured('gen_ai.client.token.usage').map((m) => [m.value, m.attributes['gen_ai.token.type']]),
        [[8, 'input']],
      );
    });
  });
}
