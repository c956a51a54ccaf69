// Content capture (opt-in, settings.ts): the conventions' message schemas (gen-ai-input-messages.json,
// gen-ai-output-messages.json, gen-ai-system-instructions.json), serialized to JSON strings for the
// span. Each vendor file turns its own message shapes into these parts; this file holds the shapes and
// the output side, which every vendor fills the same way (GeneratedChoice).

/** A part of a message: { type: 'text', content }, { type: 'tool_call', id, name, arguments }, ... */
export type MessagePart = Record<string, unknown>;

export interface ChatMessage {
  readonly role: string;
  readonly parts: MessagePart[];
  readonly name?: string;
}

export interface GeneratedToolCall {
  id: string | undefined;
  name: string | undefined;
  /** Only kept when content is captured: the model's arguments, as it sent them. */
  arguments: string | undefined;
}

/** One generation (an OpenAI choice, an Anthropic message) as the call's end writes it out. */
export interface GeneratedChoice {
  finishReason: string | undefined;
  /** Only kept when content is captured. */
  text: string | undefined;
  readonly toolCalls: GeneratedToolCall[];
}

/** A tool call's arguments as the schema wants them: the parsed JSON object, or the text as sent. */
export function toolArguments(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** A text part, or nothing for an empty text. */
export function textParts(content: unknown, parts: MessagePart[]): void {
  if (typeof content === 'string') {
    if (content !== '') parts.push({ type: 'text', content });
    return;
  }
  if (!Array.isArray(content)) return;
  for (const item of content) {
    if (typeof item === 'string') parts.push({ type: 'text', content: item });
    else if (item !== null && typeof item === 'object' && typeof (item as { text?: unknown }).text === 'string') {
      parts.push({ type: 'text', content: (item as { text: string }).text });
    }
  }
}

export function outputMessagesJson(choices: readonly GeneratedChoice[]): string {
  const messages: Record<string, unknown>[] = [];
  for (const choice of choices) {
    const parts: MessagePart[] = [];
    if (choice.text !== undefined && choice.text !== '') parts.push({ type: 'text', content: choice.text });
    for (const call of choice.toolCalls) if (call !== undefined) parts.push({ type: 'tool_call', id: call.id ?? null, name: call.name ?? '', arguments: toolArguments(call.arguments) });
    messages.push({ role: 'assistant', parts, finish_reason: choice.finishReason ?? '' });
  }
  return JSON.stringify(messages);
}

/** Appends a streamed text fragment to a choice (content capture only). */
export function appendText(choice: GeneratedChoice, fragment: unknown): void {
  if (typeof fragment === 'string') choice.text = choice.text === undefined ? fragment : choice.text + fragment;
}
