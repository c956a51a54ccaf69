// OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true: the prompt and the completion on the span,
// as JSON strings of the conventions' message schemas (gen_ai.input.messages, gen_ai.output.messages,
// gen_ai.system_instructions), for openai 6 and @anthropic-ai/sdk, streamed or not, against the local
// replay server. Without the setting nothing of it is recorded (openai.test.ts, anthropic.test.ts).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadableSpan } from '../../../src/trace/span-data.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';
import { startLlmReplay, type LlmReplayServer } from '../../support/servers/llm-replay.js';

const recorded = instrumentInProcess(['openai', 'anthropic'], { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' });
const { OpenAI } = require('openai') as any;
const { Anthropic } = require('@anthropic-ai/sdk') as any;

let server: LlmReplayServer;
before(async () => {
  server = await startLlmReplay();
});
after(() => server.stop());

async function oneSpan(): Promise<ReadableSpan> {
  const deadline = Date.now() + 2000;
  while (recorded.spans.length === 0) {
    if (Date.now() > deadline) throw new Error('no span');
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(recorded.spans.length, 1);
  return recorded.spans[0]!;
}

const json = (span: ReadableSpan, key: string): unknown => JSON.parse(span.attributes[key] as string);

test('openai chat: the messages sent and the choice received, streamed or not', async () => {
  const openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, maxRetries: 0 });
  const messages = [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Hello!' },
  ];
  for (const stream of [false, true]) {
    recorded.clear();
    const result = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream });
    if (stream) for await (const chunk of result) assert.ok(chunk);
    const span = await oneSpan();
    assert.deepEqual(json(span, 'gen_ai.input.messages'), [
      { role: 'system', parts: [{ type: 'text', content: 'You are a helpful assistant.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Hello!' }] },
    ]);
    const text = stream ? 'Hello!' : 'Hello! How can I assist you today?';
    assert.deepEqual(json(span, 'gen_ai.output.messages'), [{ role: 'assistant', parts: [{ type: 'text', content: text }], finish_reason: 'stop' }]);
  }
});

test('openai tool calls: their arguments, assembled from the stream fragments', async () => {
  const openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, maxRetries: 0 });
  const tools = [{ type: 'function', function: { name: 'get_current_weather', parameters: { type: 'object' } } }];
  for (const stream of [false, true]) {
    recorded.clear();
    const result = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Weather in Boston?' }], tools, stream });
    if (stream) for await (const chunk of result) assert.ok(chunk);
    const span = await oneSpan();
    assert.deepEqual(json(span, 'gen_ai.output.messages'), [
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_abc123', name: 'get_current_weather', arguments: { location: 'Boston, MA' } }], finish_reason: 'tool_calls' },
    ]);
  }
});

test('anthropic: the system prompt as gen_ai.system_instructions, the messages and the reply, streamed or not', async () => {
  const anthropic = new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.url, maxRetries: 0, openTelemetry: false });
  for (const stream of [false, true]) {
    recorded.clear();
    const result = await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: 'Hello, Claude' }], stream });
    if (stream) for await (const event of result) assert.ok(event);
    const span = await oneSpan();
    assert.deepEqual(json(span, 'gen_ai.system_instructions'), [{ type: 'text', content: 'Be brief.' }]);
    assert.deepEqual(json(span, 'gen_ai.input.messages'), [{ role: 'user', parts: [{ type: 'text', content: 'Hello, Claude' }] }]);
    const text = stream ? 'Hello!' : 'Hi! My name is Claude.';
    assert.deepEqual(json(span, 'gen_ai.output.messages'), [{ role: 'assistant', parts: [{ type: 'text', content: text }], finish_reason: 'end_turn' }]);
  }
});
