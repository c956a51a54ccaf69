// The LLM peer for the openai and @anthropic-ai/sdk tests: no vendor server runs here, so this local
// http server replays the response bodies and event streams of each vendor's API reference examples
// (OpenAI: Chat Completions create, its streaming and function-calling examples, Responses create and
// its streaming events, Embeddings create, the legacy Completions create; Anthropic: Messages create, "Streaming Messages", tool use),
// and their documented error bodies (OpenAI's 429 rate_limit_exceeded and 400 invalid_request_error,
// Anthropic's 429 rate_limit_error and 400 invalid_request_error). The SDKs talk to it through
// their `baseURL` option, over real HTTP with their own fetch.
//
// Which answer a request gets is decided from what the SDK sends, as the real API would:
// `stream: true` streams; `tools` in the request answers with a tool call. An error is chosen by a
// path prefix, so the app code stays the same: `${url}/error-429/v1` for OpenAI,
// `${url}/error-429` for Anthropic (also error-400). The 429 carries `retry-after: 0` (the header
// both APIs send; zero so that an SDK retry does not slow the tests).
// Every request is recorded (method, path, headers, parsed body) for the tests to check.

import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReplayedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, any>;
}

export interface LlmReplayServer {
  /** http://127.0.0.1:<port>: the Anthropic baseURL; OpenAI's is `${url}/v1`. */
  readonly url: string;
  readonly requests: ReplayedRequest[];
  stop(): Promise<void>;
}

// ---- OpenAI (platform.openai.com/docs/api-reference) ----

export const OPENAI_CHAT_COMPLETION = {
  id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
  object: 'chat.completion',
  created: 1741569952,
  model: 'gpt-4.1-2025-04-14',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello! How can I assist you today?', refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 19,
    completion_tokens: 10,
    total_tokens: 29,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  },
  service_tier: 'default',
};

export const OPENAI_TOOL_CALL_COMPLETION = {
  id: 'chatcmpl-abc123',
  object: 'chat.completion',
  created: 1699896916,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_abc123', type: 'function', function: { name: 'get_current_weather', arguments: '{\n"location": "Boston, MA"\n}' } }],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    },
  ],
  usage: { prompt_tokens: 82, completion_tokens: 17, total_tokens: 99, completion_tokens_details: { reasoning_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
};

const CHUNK_BASE = { id: 'chatcmpl-123', object: 'chat.completion.chunk', created: 1694268190, model: 'gpt-4o-mini', system_fingerprint: 'fp_44709d6fcb' };

/** The streaming example's chunks, with the usage chunk that stream_options.include_usage adds. */
export function openAiChatChunks(includeUsage: boolean): object[] {
  const chunks: object[] = [
    { ...CHUNK_BASE, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] },
    { ...CHUNK_BASE, choices: [{ index: 0, delta: { content: 'Hello' }, logprobs: null, finish_reason: null }] },
    { ...CHUNK_BASE, choices: [{ index: 0, delta: { content: '!' }, logprobs: null, finish_reason: null }] },
    { ...CHUNK_BASE, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] },
  ];
  if (includeUsage) chunks.push({ ...CHUNK_BASE, choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } });
  return chunks;
}

/** The function-calling example, streamed: the tool call's name first, its arguments in fragments. */
export function openAiToolCallChunks(): object[] {
  const base = { ...CHUNK_BASE, id: 'chatcmpl-abc123' };
  return [
    { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_abc123', type: 'function', function: { name: 'get_current_weather', arguments: '' } }] }, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"location":' } }] }, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: ' "Boston, MA"}' } }] }, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
  ];
}

export const OPENAI_RESPONSE = {
  id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
  object: 'response',
  created_at: 1741476542,
  status: 'completed',
  error: null,
  incomplete_details: null,
  instructions: null,
  max_output_tokens: null,
  model: 'gpt-4.1-2025-04-14',
  output: [
    {
      type: 'message',
      id: 'msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'In a peaceful grove beneath a silver moon, a unicorn named Lumina discovered a hidden pool.', annotations: [] }],
    },
  ],
  parallel_tool_calls: true,
  previous_response_id: null,
  reasoning: { effort: null, summary: null },
  store: true,
  temperature: 1.0,
  text: { format: { type: 'text' } },
  tool_choice: 'auto',
  tools: [],
  top_p: 1.0,
  truncation: 'disabled',
  usage: { input_tokens: 36, input_tokens_details: { cached_tokens: 0 }, output_tokens: 87, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 123 },
  user: null,
  metadata: {},
};

function openAiResponseEvents(): object[] {
  const inProgress = { ...OPENAI_RESPONSE, status: 'in_progress', output: [], usage: null };
  const message = OPENAI_RESPONSE.output[0]!;
  return [
    { type: 'response.created', response: inProgress, sequence_number: 0 },
    { type: 'response.in_progress', response: inProgress, sequence_number: 1 },
    { type: 'response.output_item.added', output_index: 0, item: { ...message, status: 'in_progress', content: [] }, sequence_number: 2 },
    { type: 'response.output_text.delta', item_id: message.id, output_index: 0, content_index: 0, delta: 'In a peaceful grove', sequence_number: 3 },
    { type: 'response.output_text.done', item_id: message.id, output_index: 0, content_index: 0, text: message.content[0]!.text, sequence_number: 4 },
    { type: 'response.output_item.done', output_index: 0, item: message, sequence_number: 5 },
    { type: 'response.completed', response: OPENAI_RESPONSE, sequence_number: 6 },
  ];
}

export const OPENAI_TEXT_COMPLETION = {
  id: 'cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7',
  object: 'text_completion',
  created: 1589478378,
  model: 'gpt-3.5-turbo-instruct',
  system_fingerprint: 'fp_44709d6fcb',
  choices: [{ text: '\n\nThis is indeed a test', index: 0, logprobs: null, finish_reason: 'length' }],
  usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
};

export const OPENAI_EMBEDDING = {
  object: 'list',
  data: [{ object: 'embedding', embedding: [0.0023064255, -0.009327292, -0.0028842222], index: 0 }],
  model: 'text-embedding-ada-002',
  usage: { prompt_tokens: 8, total_tokens: 8 },
};

const OPENAI_ERRORS: Record<string, object> = {
  '429': { error: { message: 'Rate limit reached for gpt-4o-mini in organization org-xxx on requests per min (RPM): Limit 3, Used 3, Requested 1.', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
  '400': { error: { message: "Invalid value for 'temperature': must be between 0 and 2.", type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' } },
};

// ---- Anthropic (docs.anthropic.com/en/api/messages, /en/docs/build-with-claude/streaming) ----

export const ANTHROPIC_MESSAGE = {
  content: [{ text: 'Hi! My name is Claude.', type: 'text' }],
  id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
  model: 'claude-3-7-sonnet-20250219',
  role: 'assistant',
  stop_reason: 'end_turn',
  stop_sequence: null,
  type: 'message',
  usage: { input_tokens: 2095, output_tokens: 503, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
};

export const ANTHROPIC_TOOL_USE_MESSAGE = {
  id: 'msg_01Aq9w938a90dw8q',
  model: 'claude-3-7-sonnet-20250219',
  stop_reason: 'tool_use',
  stop_sequence: null,
  role: 'assistant',
  type: 'message',
  content: [
    { type: 'text', text: "I'll check the current weather in San Francisco for you." },
    { type: 'tool_use', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', input: { location: 'San Francisco, CA', unit: 'celsius' } },
  ],
  usage: { input_tokens: 384, output_tokens: 92, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
};

/** The "Basic streaming request" example's events. */
function anthropicEvents(): [string, object][] {
  return [
    ['message_start', { type: 'message_start', message: { id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY', type: 'message', role: 'assistant', content: [], model: 'claude-opus-4-6', stop_reason: null, stop_sequence: null, usage: { input_tokens: 25, output_tokens: 1 } } }],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
    ['ping', { type: 'ping' }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '!' } }],
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 15 } }],
    ['message_stop', { type: 'message_stop' }],
  ];
}

/** The "Streaming request with tool use" example's events (abridged: one text block, one tool call). */
function anthropicToolEvents(): [string, object][] {
  return [
    ['message_start', { type: 'message_start', message: { id: 'msg_014p7gG3wDgGV9EUtLvnow3U', type: 'message', role: 'assistant', model: 'claude-opus-4-6', stop_sequence: null, usage: { input_tokens: 472, output_tokens: 2 }, content: [], stop_reason: null } }],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Okay, let\'s check the weather for San Francisco, CA:' } }],
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    ['content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', input: {} } }],
    ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"location":' } }],
    ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: ' "San Francisco, CA"}' } }],
    ['content_block_stop', { type: 'content_block_stop', index: 1 }],
    ['message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 89 } }],
    ['message_stop', { type: 'message_stop' }],
  ];
}

const ANTHROPIC_ERRORS: Record<string, object> = {
  '429': { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } },
  '400': { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } },
};

// ---- the server ----

function readBody(req: IncomingMessage): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text === '' ? {} : (JSON.parse(text) as Record<string, any>));
      } catch {
        resolve({});
      }
    });
  });
}

function sendJson(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Sends each event as its own write, as the APIs do (a stream arrives in several chunks). */
function sendEvents(res: ServerResponse, events: readonly (readonly [string | undefined, object | string])[], headers: Record<string, string>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
  let i = 0;
  const next = (): void => {
    if (i === events.length) {
      res.end();
      return;
    }
    const [event, data] = events[i++]!;
    res.write(`${event === undefined ? '' : `event: ${event}\n`}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    setImmediate(next);
  };
  next();
}

const OPENAI_HEADERS = { 'x-request-id': 'req_replayed', 'openai-processing-ms': '1' };
const ANTHROPIC_HEADERS = { 'request-id': 'req_replayed' };

function answer(req: IncomingMessage, res: ServerResponse, path: string, body: Record<string, any>): void {
  const error = /^\/error-(\d{3})(\/.*)$/.exec(path);
  const route = error === null ? path : error[2]!;
  const isAnthropic = route === '/v1/messages';
  if (error !== null) {
    const status = error[1]!;
    const errorBody = (isAnthropic ? ANTHROPIC_ERRORS : OPENAI_ERRORS)[status] ?? { error: { message: 'replayed error' } };
    sendJson(res, Number(status), errorBody, { ...(isAnthropic ? ANTHROPIC_HEADERS : OPENAI_HEADERS), ...(status === '429' ? { 'retry-after': '0' } : {}) });
    return;
  }
  const stream = body.stream === true;
  const tools = Array.isArray(body.tools) && body.tools.length > 0;
  switch (route) {
    case '/v1/chat/completions':
      if (!stream) sendJson(res, 200, tools ? OPENAI_TOOL_CALL_COMPLETION : OPENAI_CHAT_COMPLETION, OPENAI_HEADERS);
      else {
        const chunks = tools ? openAiToolCallChunks() : openAiChatChunks(body.stream_options?.include_usage === true);
        sendEvents(res, [...chunks.map((chunk) => [undefined, chunk] as const), [undefined, '[DONE]'] as const], OPENAI_HEADERS);
      }
      return;
    case '/v1/responses':
      if (!stream) sendJson(res, 200, OPENAI_RESPONSE, OPENAI_HEADERS);
      else sendEvents(res, openAiResponseEvents().map((event) => [(event as { type: string }).type, event] as const), OPENAI_HEADERS);
      return;
    case '/v1/completions':
      sendJson(res, 200, OPENAI_TEXT_COMPLETION, OPENAI_HEADERS);
      return;
    case '/v1/embeddings':
      sendJson(res, 200, OPENAI_EMBEDDING, OPENAI_HEADERS);
      return;
    case '/v1/messages':
      if (!stream) sendJson(res, 200, tools ? ANTHROPIC_TOOL_USE_MESSAGE : ANTHROPIC_MESSAGE, ANTHROPIC_HEADERS);
      else sendEvents(res, tools ? anthropicToolEvents() : anthropicEvents(), ANTHROPIC_HEADERS);
      return;
    default:
      sendJson(res, 404, { error: { message: `no replay for ${req.method} ${path}`, type: 'invalid_request_error' } });
  }
}

export async function startLlmReplay(): Promise<LlmReplayServer> {
  const requests: ReplayedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    readBody(req).then(
      (body) => {
        requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
        answer(req, res, path, body);
      },
      () => res.destroy(),
    );
  });
  // The SDKs keep connections alive; closing must not wait for them.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Run as a program (bench, manual tries): starts the server and prints its URL. */
if (require.main === module) {
  void startLlmReplay().then((server) => process.stdout.write(`${server.url}\n`));
}
