// openai 4 to 7 (the official SDK): a CLIENT span and the GenAI metrics per model call, for
// chat.completions.create, responses.create, embeddings.create and the legacy completions.create (genai/ holds what is shared with
// Anthropic's SDK, which is built the same way). The resource classes hang off the client class as
// statics (OpenAI.Chat.Completions, OpenAI.Responses, OpenAI.Embeddings, OpenAI.Completions), so the package's entry is the
// one module hooked, for require and import alike; patching their prototypes covers every client,
// the AzureOpenAI one and the beta helpers (parse, stream, runTools) that call create.

import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { wrap } from '../../src/hook/patch.js';
import { GenAiTelemetry } from '../genai/genai-call.js';
import { wrapModelCall, type ModelOperation } from '../genai/wrap-model-call.js';
import { chatCompletions } from './chat-completions.js';
import { completions } from './completions.js';
import { embeddings } from './embeddings.js';
import { responses } from './responses.js';

let shared: GenAiTelemetry | undefined;

type Resource = { prototype?: { create?: unknown } } | undefined;

function patchCreate(resource: Resource, genai: GenAiTelemetry, operation: ModelOperation): void {
  const prototype = resource?.prototype;
  if (prototype !== undefined && typeof prototype.create === 'function') wrap(prototype as { create: () => unknown }, 'create', wrapModelCall(genai, operation));
}

function patchOpenAi(exports: unknown, telemetry: Telemetry): unknown {
  const module = exports as { OpenAI?: unknown; default?: unknown };
  // openai 4's CommonJS entry is the client class itself (with .OpenAI on it); 5 on export it by name.
  const client = (module.OpenAI ?? module.default ?? exports) as Record<string, Resource & Record<string, Resource>> | undefined;
  if (client === undefined || client === null) return exports;
  shared ??= new GenAiTelemetry('openai', telemetry);
  patchCreate(client.Chat?.Completions, shared, chatCompletions);
  patchCreate(client.Responses, shared, responses);
  patchCreate(client.Embeddings, shared, embeddings);
  patchCreate(client.Completions, shared, completions);
  return exports;
}

export const openai: Instrumentation = {
  name: 'openai',
  targets: [{ module: 'openai', versions: '>=4.0.0 <8', patch: patchOpenAi }],
};
