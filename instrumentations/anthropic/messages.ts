// messages.create (and beta.messages.create; messages.stream and the tool runner call them):
// anthropic.md's inference span, operation `chat`. anthropic.md: Anthropic's input_tokens leaves out
// cached tokens, so gen_ai.usage.input_tokens = input_tokens + cache_read_input_tokens +
// cache_creation_input_tokens. A stream announces the message (id, model, input usage) in
// message_start, its tool calls in content_block_start, and its stop reason and final output usage in
// message_delta.

import type { Attributes } from '@opentelemetry/api';
import type { GenAiCall } from '../genai/genai-call.js';
import { appendText, textParts, type ChatMessage, type MessagePart } from '../genai/messages.js';
import { fieldsOf, integerField, numberField, outputTypeOf, put, stringField, stringList, type Fields } from '../genai/read-fields.js';
import {
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_K,
  ATTR_GEN_AI_REQUEST_TOP_P,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  OPERATION_CHAT,
  PROVIDER_ANTHROPIC,
} from '../genai/semconv.js';
import { serverAddressOf } from '../genai/server-address.js';
import type { ModelOperation } from '../genai/wrap-model-call.js';

function requestAttributes(params: Fields): Attributes {
  const attributes: Attributes = {};
  put(attributes, ATTR_GEN_AI_REQUEST_MAX_TOKENS, integerField(params.max_tokens));
  put(attributes, ATTR_GEN_AI_REQUEST_TEMPERATURE, numberField(params.temperature));
  put(attributes, ATTR_GEN_AI_REQUEST_TOP_P, numberField(params.top_p));
  put(attributes, ATTR_GEN_AI_REQUEST_TOP_K, numberField(params.top_k));
  put(attributes, ATTR_GEN_AI_REQUEST_STOP_SEQUENCES, stringList(params.stop_sequences));
  if (params.stream === true) attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;
  // Structured outputs: output_config.format { type: 'json_schema', ... }.
  put(attributes, ATTR_GEN_AI_OUTPUT_TYPE, outputTypeOf(fieldsOf(fieldsOf(params.output_config)?.format)?.type));
  return attributes;
}

function contentParts(content: unknown): MessagePart[] {
  const parts: MessagePart[] = [];
  if (!Array.isArray(content)) {
    textParts(content, parts);
    return parts;
  }
  for (const value of content) {
    const block = fieldsOf(value);
    if (block?.type === 'text') textParts(block.text, parts);
    else if (block?.type === 'tool_use') parts.push({ type: 'tool_call', id: stringField(block.id) ?? null, name: stringField(block.name) ?? '', arguments: block.input });
    else if (block?.type === 'tool_result') parts.push({ type: 'tool_call_response', id: stringField(block.tool_use_id) ?? null, response: block.content });
  }
  return parts;
}

function inputMessages(messages: unknown): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (!Array.isArray(messages)) return out;
  for (const value of messages) {
    const message = fieldsOf(value);
    if (message !== undefined) out.push({ role: stringField(message.role) ?? 'user', parts: contentParts(message.content) });
  }
  return out;
}

function readUsage(call: GenAiCall, value: unknown): void {
  const usage = fieldsOf(value);
  if (usage === undefined) return;
  const cacheRead = integerField(usage.cache_read_input_tokens);
  const cacheCreation = integerField(usage.cache_creation_input_tokens);
  if (cacheRead !== undefined) call.cacheReadTokens = cacheRead;
  if (cacheCreation !== undefined) call.cacheCreationTokens = cacheCreation;
  const input = integerField(usage.input_tokens);
  if (input !== undefined) call.inputTokens = input + (call.cacheReadTokens ?? 0) + (call.cacheCreationTokens ?? 0);
  const output = integerField(usage.output_tokens);
  if (output !== undefined) call.outputTokens = output;
}

function readMessage(call: GenAiCall, value: unknown): void {
  const message = fieldsOf(value);
  if (message === undefined) return;
  call.responseId = stringField(message.id) ?? call.responseId;
  call.responseModel = stringField(message.model) ?? call.responseModel;
  readUsage(call, message.usage);
  const choice = call.choice(0);
  const reason = stringField(message.stop_reason);
  if (reason !== undefined) choice.finishReason = reason;
  if (!Array.isArray(message.content)) return;
  const capture = call.captureContent;
  for (const item of message.content) {
    const block = fieldsOf(item);
    if (block?.type === 'tool_use') {
      choice.toolCalls.push({ id: stringField(block.id), name: stringField(block.name), arguments: capture ? JSON.stringify(block.input ?? {}) : undefined });
    } else if (block?.type === 'text' && capture) {
      appendText(choice, block.text);
    }
  }
}

/** Per stream: the content block index of each tool call, so its input fragments find it. */
type ToolBlocks = Map<number, number>;

function readEvent(call: GenAiCall, value: unknown): void {
  const event = fieldsOf(value);
  if (event === undefined) return;
  switch (event.type) {
    case 'message_start':
      readMessage(call, event.message);
      return;
    case 'message_delta': {
      const reason = stringField(fieldsOf(event.delta)?.stop_reason);
      if (reason !== undefined) call.choice(0).finishReason = reason;
      readUsage(call, event.usage);
      return;
    }
    case 'content_block_start': {
      const block = fieldsOf(event.content_block);
      if (block?.type !== 'tool_use') return;
      const choice = call.choice(0);
      const blocks = (call.streamState ??= new Map()) as ToolBlocks;
      blocks.set(integerField(event.index) ?? -1, choice.toolCalls.length);
      choice.toolCalls.push({ id: stringField(block.id), name: stringField(block.name), arguments: undefined });
      return;
    }
    case 'content_block_delta': {
      if (!call.captureContent) return;
      const delta = fieldsOf(event.delta);
      const choice = call.choice(0);
      if (delta?.type === 'text_delta') appendText(choice, delta.text);
      else if (delta?.type === 'input_json_delta') {
        const toolIndex = (call.streamState as ToolBlocks | undefined)?.get(integerField(event.index) ?? -1);
        const toolCall = toolIndex === undefined ? undefined : choice.toolCalls[toolIndex];
        const fragment = stringField(delta.partial_json);
        if (toolCall !== undefined && fragment !== undefined) toolCall.arguments = (toolCall.arguments ?? '') + fragment;
      }
      return;
    }
    default:
  }
}

function systemInstructions(system: unknown): MessagePart[] {
  const parts: MessagePart[] = [];
  textParts(typeof system === 'string' ? system : Array.isArray(system) ? system.filter((block) => fieldsOf(block)?.type === 'text') : undefined, parts);
  return parts;
}

/**
 * error.type: the API's error type ('rate_limit_error', 'invalid_request_error', 'overloaded_error'),
 * which the SDK's APIError keeps as `type`; the shared rule (a string code, else the class) otherwise.
 */
function apiErrorType(error: unknown): string | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' && type !== '' ? type : undefined;
}

export const messages: ModelOperation = {
  start(params, client) {
    return {
      operation: OPERATION_CHAT,
      provider: PROVIDER_ANTHROPIC,
      model: stringField(params.model),
      server: serverAddressOf((client as { baseURL?: unknown } | null)?.baseURL),
      attributes: requestAttributes(params),
      streaming: params.stream === true,
      errorType: apiErrorType,
    };
  },
  captureInput(params) {
    const captured: Record<string, string> = { [ATTR_GEN_AI_INPUT_MESSAGES]: JSON.stringify(inputMessages(params.messages)) };
    if (params.system !== undefined) captured[ATTR_GEN_AI_SYSTEM_INSTRUCTIONS] = JSON.stringify(systemInstructions(params.system));
    return captured;
  },
  // @anthropic-ai/sdk 0.134 on spans its own calls through the global tracer provider (ours, under
  // otel-instrument) unless the app turns that off (openTelemetry: false, ANTHROPIC_OPEN_TELEMETRY=false):
  // its client then has a tracer. A second span for the same call would count its tokens twice in
  // any backend that sums spans, so we leave the span to the SDK and record only the metrics it lacks.
  tracedBySdk(client) {
    return (client as { _tracer?: unknown } | null)?._tracer !== undefined && (client as { _tracer?: unknown })._tracer !== null;
  },
  body: readMessage,
  event: readEvent,
};
