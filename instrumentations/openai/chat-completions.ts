// chat.completions.create (Chat Completions API; also under beta.chat.completions.parse, .stream and
// .runTools, which call it): openai.md's inference span, operation `chat`, openai.api.type
// `chat_completions`. Usage in a stream comes from its final chunk, which OpenAI sends only when the
// request asks for it (stream_options.include_usage).

import type { Attributes } from '@opentelemetry/api';
import { MAX_INDEX, type GenAiCall } from '../genai/genai-call.js';
import { appendText, textParts, toolArguments, type ChatMessage, type MessagePart } from '../genai/messages.js';
import { fieldsOf, integerField, numberField, outputTypeOf, put, stringField, stringList, type Fields } from '../genai/read-fields.js';
import {
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_REQUEST_CHOICE_COUNT,
  ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY,
  ATTR_GEN_AI_REQUEST_SEED,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_P,
  ATTR_OPENAI_API_TYPE,
  ATTR_OPENAI_REQUEST_SERVICE_TIER,
  ATTR_OPENAI_RESPONSE_SERVICE_TIER,
  ATTR_OPENAI_RESPONSE_SYSTEM_FINGERPRINT,
  OPERATION_CHAT,
} from '../genai/semconv.js';
import type { ModelOperation } from '../genai/wrap-model-call.js';
import { openAiCallStart } from './provider.js';
import { readOpenAiUsage } from './usage.js';

function requestAttributes(params: Fields, apiType: string): Attributes {
  const attributes: Attributes = { [ATTR_OPENAI_API_TYPE]: apiType };
  put(attributes, ATTR_GEN_AI_REQUEST_TEMPERATURE, numberField(params.temperature));
  put(attributes, ATTR_GEN_AI_REQUEST_TOP_P, numberField(params.top_p));
  put(attributes, ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY, numberField(params.frequency_penalty));
  put(attributes, ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY, numberField(params.presence_penalty));
  put(attributes, ATTR_GEN_AI_REQUEST_MAX_TOKENS, integerField(params.max_completion_tokens) ?? integerField(params.max_tokens));
  put(attributes, ATTR_GEN_AI_REQUEST_STOP_SEQUENCES, stringList(params.stop));
  put(attributes, ATTR_GEN_AI_REQUEST_SEED, integerField(params.seed));
  const n = integerField(params.n);
  if (n !== undefined && n !== 1) attributes[ATTR_GEN_AI_REQUEST_CHOICE_COUNT] = n;
  if (params.stream === true) attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;
  const tier = stringField(params.service_tier);
  if (tier !== undefined && tier !== 'auto') attributes[ATTR_OPENAI_REQUEST_SERVICE_TIER] = tier;
  put(attributes, ATTR_GEN_AI_OUTPUT_TYPE, outputTypeOf(fieldsOf(params.response_format)?.type));
  return attributes;
}

function inputMessages(messages: unknown): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (!Array.isArray(messages)) return out;
  for (const item of messages) {
    const message = fieldsOf(item);
    if (message === undefined) continue;
    const role = stringField(message.role) ?? 'user';
    const parts: MessagePart[] = [];
    if (role === 'tool') {
      parts.push({ type: 'tool_call_response', id: stringField(message.tool_call_id) ?? null, response: message.content });
    } else {
      textParts(message.content, parts);
      if (Array.isArray(message.tool_calls)) {
        for (const toolCall of message.tool_calls) {
          const fn = fieldsOf(fieldsOf(toolCall)?.function);
          parts.push({ type: 'tool_call', id: stringField(fieldsOf(toolCall)?.id) ?? null, name: stringField(fn?.name) ?? '', arguments: toolArguments(fn?.arguments) });
        }
      }
    }
    out.push({ role, parts });
  }
  return out;
}

/** Response fields shared by a completion and its chunks. */
export function readCommon(call: GenAiCall, body: Fields): void {
  call.responseId ??= stringField(body.id);
  call.responseModel ??= stringField(body.model);
  const fingerprint = stringField(body.system_fingerprint);
  const tier = stringField(body.service_tier);
  if (fingerprint !== undefined || tier !== undefined) {
    call.extra ??= {};
    if (fingerprint !== undefined) call.extra[ATTR_OPENAI_RESPONSE_SYSTEM_FINGERPRINT] = fingerprint;
    if (tier !== undefined) call.extra[ATTR_OPENAI_RESPONSE_SERVICE_TIER] = tier;
  }
  readOpenAiUsage(call, body.usage);
}

function readCompletion(call: GenAiCall, value: unknown): void {
  const body = fieldsOf(value);
  if (body === undefined) return;
  readCommon(call, body);
  if (!Array.isArray(body.choices)) return;
  const capture = call.captureContent;
  for (let i = 0; i < body.choices.length; i++) {
    const choiceBody = fieldsOf(body.choices[i]);
    if (choiceBody === undefined) continue;
    const choice = call.choice(integerField(choiceBody.index) ?? i);
    choice.finishReason = stringField(choiceBody.finish_reason);
    const message = fieldsOf(choiceBody.message);
    if (message === undefined) continue;
    if (capture) choice.text = stringField(message.content);
    if (Array.isArray(message.tool_calls)) {
      for (const toolCall of message.tool_calls) {
        const fields = fieldsOf(toolCall);
        const fn = fieldsOf(fields?.function);
        choice.toolCalls.push({ id: stringField(fields?.id), name: stringField(fn?.name), arguments: capture ? stringField(fn?.arguments) : undefined });
      }
    }
  }
}

function readChunk(call: GenAiCall, value: unknown): void {
  const chunk = fieldsOf(value);
  if (chunk === undefined) return;
  readCommon(call, chunk);
  if (!Array.isArray(chunk.choices)) return;
  const capture = call.captureContent;
  for (const item of chunk.choices) {
    const choiceChunk = fieldsOf(item);
    if (choiceChunk === undefined) continue;
    const choice = call.choice(integerField(choiceChunk.index) ?? 0);
    const reason = stringField(choiceChunk.finish_reason);
    if (reason !== undefined) choice.finishReason = reason;
    const delta = fieldsOf(choiceChunk.delta);
    if (delta === undefined) continue;
    if (capture) appendText(choice, delta.content);
    if (!Array.isArray(delta.tool_calls)) continue;
    // A tool call streams as fragments keyed by its index: the first carries id and name, the rest arguments.
    for (const fragment of delta.tool_calls) {
      const fields = fieldsOf(fragment);
      if (fields === undefined) continue;
      const index = integerField(fields.index) ?? choice.toolCalls.length;
      if (index < 0 || index > MAX_INDEX) continue;
      let toolCall = choice.toolCalls[index];
      if (toolCall === undefined) {
        toolCall = { id: undefined, name: undefined, arguments: undefined };
        choice.toolCalls[index] = toolCall;
      }
      const fn = fieldsOf(fields.function);
      toolCall.id ??= stringField(fields.id);
      toolCall.name ??= stringField(fn?.name);
      if (capture) {
        const args = stringField(fn?.arguments);
        if (args !== undefined) toolCall.arguments = (toolCall.arguments ?? '') + args;
      }
    }
  }
}

export const chatCompletions: ModelOperation = {
  start(params, client) {
    return openAiCallStart(OPERATION_CHAT, params, client, requestAttributes(params, 'chat_completions'));
  },
  captureInput(params) {
    return { [ATTR_GEN_AI_INPUT_MESSAGES]: JSON.stringify(inputMessages(params.messages)) };
  },
  body: readCompletion,
  event: readChunk,
};
