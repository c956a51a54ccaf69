// responses.create (Responses API, openai 4.87 on): openai.md's inference span, operation `chat`,
// openai.api.type `responses`. A streamed response sends its whole final Response object in its
// terminal event (response.completed, .incomplete or .failed): usage and output are read from it.
//
// The Responses API has no finish reason. gen_ai.response.finish_reasons is taken from what it does
// say: an incomplete response's incomplete_details.reason ('max_output_tokens', 'content_filter'),
// else 'tool_calls' when the output asks for function calls, else 'stop' for a completed response.

import type { Attributes } from '@opentelemetry/api';
import type { GenAiCall } from '../genai/genai-call.js';
import { textParts, toolArguments, type ChatMessage, type MessagePart } from '../genai/messages.js';
import { fieldsOf, integerField, numberField, outputTypeOf, put, stringField, type Fields } from '../genai/read-fields.js';
import {
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_P,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_OPENAI_API_TYPE,
  ATTR_OPENAI_REQUEST_SERVICE_TIER,
  ATTR_OPENAI_RESPONSE_SERVICE_TIER,
  OPERATION_CHAT,
} from '../genai/semconv.js';
import type { ModelOperation } from '../genai/wrap-model-call.js';
import { openAiCallStart } from './provider.js';
import { readOpenAiUsage } from './usage.js';

function requestAttributes(params: Fields): Attributes {
  const attributes: Attributes = { [ATTR_OPENAI_API_TYPE]: 'responses' };
  put(attributes, ATTR_GEN_AI_REQUEST_TEMPERATURE, numberField(params.temperature));
  put(attributes, ATTR_GEN_AI_REQUEST_TOP_P, numberField(params.top_p));
  put(attributes, ATTR_GEN_AI_REQUEST_MAX_TOKENS, integerField(params.max_output_tokens));
  if (params.stream === true) attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;
  const tier = stringField(params.service_tier);
  if (tier !== undefined && tier !== 'auto') attributes[ATTR_OPENAI_REQUEST_SERVICE_TIER] = tier;
  put(attributes, ATTR_GEN_AI_OUTPUT_TYPE, outputTypeOf(fieldsOf(fieldsOf(params.text)?.format)?.type));
  // A conversation the app names (a string id, or { id }) is the conversations' own id.
  put(attributes, ATTR_GEN_AI_CONVERSATION_ID, stringField(params.conversation) ?? stringField(fieldsOf(params.conversation)?.id));
  return attributes;
}

function inputMessages(input: unknown): ChatMessage[] {
  if (typeof input === 'string') return [{ role: 'user', parts: [{ type: 'text', content: input }] }];
  const out: ChatMessage[] = [];
  if (!Array.isArray(input)) return out;
  for (const value of input) {
    const item = fieldsOf(value);
    if (item === undefined) continue;
    const parts: MessagePart[] = [];
    if (item.type === 'function_call') {
      parts.push({ type: 'tool_call', id: stringField(item.call_id) ?? null, name: stringField(item.name) ?? '', arguments: toolArguments(item.arguments) });
      out.push({ role: 'assistant', parts });
    } else if (item.type === 'function_call_output') {
      parts.push({ type: 'tool_call_response', id: stringField(item.call_id) ?? null, response: item.output });
      out.push({ role: 'tool', parts });
    } else if (item.role !== undefined) {
      textParts(item.content, parts);
      out.push({ role: stringField(item.role) ?? 'user', parts });
    }
  }
  return out;
}

function readResponse(call: GenAiCall, value: unknown): void {
  const response = fieldsOf(value);
  if (response === undefined) return;
  call.responseId = stringField(response.id) ?? call.responseId;
  call.responseModel = stringField(response.model) ?? call.responseModel;
  const tier = stringField(response.service_tier);
  if (tier !== undefined) call.extra = { [ATTR_OPENAI_RESPONSE_SERVICE_TIER]: tier };
  readOpenAiUsage(call, response.usage);
  const status = stringField(response.status);
  if (!Array.isArray(response.output) || (status !== 'completed' && status !== 'incomplete')) return;
  const choice = call.choice(0);
  const capture = call.captureContent;
  for (const item of response.output) {
    const output = fieldsOf(item);
    if (output?.type === 'function_call') {
      choice.toolCalls.push({ id: stringField(output.call_id), name: stringField(output.name), arguments: capture ? stringField(output.arguments) : undefined });
    } else if (output?.type === 'message' && capture && Array.isArray(output.content)) {
      for (const part of output.content) {
        const text = stringField(fieldsOf(part)?.text);
        if (text !== undefined) choice.text = (choice.text ?? '') + text;
      }
    }
  }
  const incomplete = stringField(fieldsOf(response.incomplete_details)?.reason);
  choice.finishReason = status === 'incomplete' ? (incomplete ?? 'incomplete') : choice.toolCalls.length > 0 ? 'tool_calls' : 'stop';
}

// Events that carry the whole Response: the first (id and model as soon as they are known) and the terminal ones.
const RESPONSE_EVENTS = new Set(['response.created', 'response.completed', 'response.incomplete', 'response.failed']);

export const responses: ModelOperation = {
  start(params, client) {
    return openAiCallStart(OPERATION_CHAT, params, client, requestAttributes(params));
  },
  captureInput(params) {
    const captured: Record<string, string> = { [ATTR_GEN_AI_INPUT_MESSAGES]: JSON.stringify(inputMessages(params.input)) };
    const instructions = stringField(params.instructions);
    if (instructions !== undefined) captured[ATTR_GEN_AI_SYSTEM_INSTRUCTIONS] = JSON.stringify([{ type: 'text', content: instructions }]);
    return captured;
  },
  body: readResponse,
  event(call, value) {
    const event = fieldsOf(value);
    if (event !== undefined && RESPONSE_EVENTS.has(event.type as string)) readResponse(call, event.response);
  },
};
