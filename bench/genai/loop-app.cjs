// The OpenAI loop (run by bench/genai/run.mjs, plain or under a launcher): chat.completions.create
// with openai 6 against the local replay server (test/support/servers/llm-replay.ts, started by the
// bench and named by DB_URL), in the measured loop of bench/lib/op-loop.cjs. What it measures is the
// per-call cost of the SDK call and its HTTP request, with and without instrumentation.
const { measureLoop } = require('../lib/op-loop.cjs');
const { OpenAI } = require('openai');

async function connect() {
  const client = new OpenAI({ apiKey: 'sk-bench', baseURL: `${process.env.DB_URL}/v1`, maxRetries: 0 });
  const request = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello!' }], temperature: 0.2, max_tokens: 100 };
  return {
    op: (_i, cb) => client.chat.completions.create(request).then(() => cb(), cb),
    close: async () => {},
  };
}

measureLoop(connect);
