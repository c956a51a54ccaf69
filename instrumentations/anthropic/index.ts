// @anthropic-ai/sdk: a CLIENT span and the GenAI metrics per messages.create (and beta.messages.create),
// the SDK's one model call, built like the openai one (see ../openai/index.ts and ../genai/). The
// resource classes hang off the client class (Anthropic.Messages, Anthropic.Beta.Messages): the
// package's entry is the one module hooked.

import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { wrap } from '../../src/hook/patch.js';
import { GenAiTelemetry } from '../genai/genai-call.js';
import { wrapModelCall } from '../genai/wrap-model-call.js';
import { messages } from './messages.js';

let shared: GenAiTelemetry | undefined;

type Resource = { prototype?: { create?: unknown } } | undefined;

function patchCreate(resource: Resource, genai: GenAiTelemetry): void {
  const prototype = resource?.prototype;
  if (prototype !== undefined && typeof prototype.create === 'function') wrap(prototype as { create: () => unknown }, 'create', wrapModelCall(genai, messages));
}

function patchAnthropic(exports: unknown, telemetry: Telemetry): unknown {
  const module = exports as { Anthropic?: unknown; default?: unknown };
  const client = (module.Anthropic ?? module.default ?? exports) as { Messages?: Resource; Beta?: { Messages?: Resource } } | undefined;
  if (client === undefined || client === null) return exports;
  shared ??= new GenAiTelemetry('anthropic', telemetry);
  patchCreate(client.Messages, shared);
  patchCreate(client.Beta?.Messages, shared);
  return exports;
}

export const anthropic: Instrumentation = {
  name: 'anthropic',
  targets: [{ module: '@anthropic-ai/sdk', versions: '>=0.30.0 <2', patch: patchAnthropic }],
};
