// A fault of ours (here the openai instrumentation's tracer throwing on startSpan) never reaches the
// app: the call, plain or streamed, answers as without us, and the instrumentation turns itself off.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { instrumentWithFaultyTracer } from '../../support/in-process-instrumentation.js';
import { OPENAI_CHAT_COMPLETION, startLlmReplay, type LlmReplayServer } from '../../support/servers/llm-replay.js';

const spans = instrumentWithFaultyTracer(['openai'], 'openai');
const { OpenAI } = require('openai') as any;

let server: LlmReplayServer;
before(async () => {
  server = await startLlmReplay();
});
after(() => server.stop());

test('the app gets its completions and its stream as without us', async () => {
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, maxRetries: 0 });
  for (let i = 0; i < 2; i++) {
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello!' }] });
    assert.deepEqual(JSON.parse(JSON.stringify(completion)), OPENAI_CHAT_COMPLETION);
  }
  const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello!' }], stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  assert.equal(text, 'Hello!');
  assert.deepEqual(spans, []);
});
