// What every OpenAI call starts from: the provider name and the server, from the SDK client, and the
// request's model.

import type { Attributes } from '@opentelemetry/api';
import type { CallStart } from '../genai/genai-call.js';
import { stringField, type Fields } from '../genai/read-fields.js';
import { PROVIDER_OPENAI } from '../genai/semconv.js';
import { serverAddressOf, type ServerAddress } from '../genai/server-address.js';

// gen-ai-metrics.md lists azure.ai.openai for Azure OpenAI, which the same SDK reaches through its
// AzureOpenAI client (a subclass sharing these resources).
const PROVIDER_AZURE_OPENAI = 'azure.ai.openai';

function providerOf(client: unknown): string {
  return (client as { constructor?: { name?: unknown } } | null)?.constructor?.name === 'AzureOpenAI' ? PROVIDER_AZURE_OPENAI : PROVIDER_OPENAI;
}

function serverOf(client: unknown): ServerAddress | undefined {
  return serverAddressOf((client as { baseURL?: unknown } | null)?.baseURL);
}

/** An OpenAI model call's start: `operation` with the request's model, streamed when the request asks to be. */
export function openAiCallStart(operation: string, params: Fields, client: unknown, attributes: Attributes, streaming = params.stream === true): CallStart {
  return { operation, provider: providerOf(client), model: stringField(params.model), server: serverOf(client), attributes, streaming };
}
