// OpenAI's usage object: Chat Completions and Embeddings say prompt_tokens / completion_tokens, the
// Responses API input_tokens / output_tokens; cached and reasoning tokens sit in the *_details.
// openai.md: cached tokens are included in the input count (as OpenAI reports it), reasoning tokens in
// the output count.

import type { GenAiCall } from '../genai/genai-call.js';
import { fieldsOf, integerField } from '../genai/read-fields.js';

export function readOpenAiUsage(call: GenAiCall, value: unknown): void {
  const usage = fieldsOf(value);
  if (usage === undefined) return;
  const input = integerField(usage.prompt_tokens) ?? integerField(usage.input_tokens);
  const output = integerField(usage.completion_tokens) ?? integerField(usage.output_tokens);
  if (input !== undefined) call.inputTokens = input;
  if (output !== undefined) call.outputTokens = output;
  const inputDetails = fieldsOf(usage.prompt_tokens_details) ?? fieldsOf(usage.input_tokens_details);
  const cached = integerField(inputDetails?.cached_tokens);
  if (cached !== undefined) call.cacheReadTokens = cached;
  const outputDetails = fieldsOf(usage.completion_tokens_details) ?? fieldsOf(usage.output_tokens_details);
  const reasoning = integerField(outputDetails?.reasoning_tokens);
  if (reasoning !== undefined) call.reasoningTokens = reasoning;
}
