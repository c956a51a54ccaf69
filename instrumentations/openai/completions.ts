// completions.create (the legacy Completions API): the inference span with operation `text_completion`,
// the conventions' name for it. The request takes the same sampling parameters as Chat Completions; the
// response (and each streamed chunk) has choices with `text` and a finish reason.

import type { GenAiCall } from '../genai/genai-call.js';
import { appendText } from '../genai/messages.js';
import { fieldsOf, integerField, stringField } from '../genai/read-fields.js';
import { ATTR_GEN_AI_INPUT_MESSAGES } from '../genai/semconv.js';
import type { ModelOperation } from '../genai/wrap-model-call.js';
import { chatCompletions, readCommon } from './chat-completions.js';

const OPERATION_TEXT_COMPLETION = 'text_completion';

function readChoices(call: GenAiCall, value: unknown): void {
  const body = fieldsOf(value);
  if (body === undefined) return;
  readCommon(call, body);
  if (!Array.isArray(body.choices)) return;
  for (let i = 0; i < body.choices.length; i++) {
    const item = fieldsOf(body.choices[i]);
    if (item === undefined) continue;
    const choice = call.choice(integerField(item.index) ?? i);
    const reason = stringField(item.finish_reason);
    if (reason !== undefined) choice.finishReason = reason;
    if (call.captureContent) appendText(choice, item.text);
  }
}

export const completions: ModelOperation = {
  start(params, client) {
    const start = chatCompletions.start(params, client);
    if (start === undefined) return undefined;
    // openai.api.type names the Chat Completions and Responses APIs only.
    const { 'openai.api.type': _apiType, ...attributes } = start.attributes;
    return { ...start, operation: OPERATION_TEXT_COMPLETION, attributes };
  },
  captureInput(params) {
    const prompts = typeof params.prompt === 'string' ? [params.prompt] : Array.isArray(params.prompt) ? params.prompt.filter((p) => typeof p === 'string') : [];
    return { [ATTR_GEN_AI_INPUT_MESSAGES]: JSON.stringify(prompts.map((content) => ({ role: 'user', parts: [{ type: 'text', content }] }))) };
  },
  body: readChoices,
  event: readChoices,
};
