// What every OpenAI call starts from: the provider name and the server, from the SDK client.

import { PROVIDER_OPENAI } from '../genai/semconv.js';
import { serverAddressOf, type ServerAddress } from '../genai/server-address.js';

// gen-ai-metrics.md lists azure.ai.openai for Azure OpenAI, which the same SDK reaches through its
// AzureOpenAI client (a subclass sharing these resources).
const PROVIDER_AZURE_OPENAI = 'azure.ai.openai';

export function providerOf(client: unknown): string {
  return (client as { constructor?: { name?: unknown } } | null)?.constructor?.name === 'AzureOpenAI' ? PROVIDER_AZURE_OPENAI : PROVIDER_OPENAI;
}

export function serverOf(client: unknown): ServerAddress | undefined {
  return serverAddressOf((client as { baseURL?: unknown } | null)?.baseURL);
}
