// The GenAI instrumentations' setting (openai and anthropic share it). Data only: the settings table
// (src/config) takes it in through the registry without loading an instrumentation.

import { defineSetting } from '../../src/config/setting.js';
import { bool } from '../../src/config/setting-types.js';

// gen-ai-spans.md: instructions, inputs and outputs are sensitive and large; instrumentations SHOULD
// NOT capture them by default and SHOULD let users opt in. The conventions name no variable; this is
// the one the official OpenTelemetry GenAI instrumentations (Python, JavaScript) read.
export const CAPTURE_MESSAGE_CONTENT = defineSetting({
  env: 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT',
  group: 'instrumentations',
  help: 'record prompts and completions of OpenAI and Anthropic calls (gen_ai.input.messages, gen_ai.output.messages, gen_ai.system_instructions); they often hold personal data',
  type: bool,
  default: false,
});

export const GENAI_SETTINGS = [CAPTURE_MESSAGE_CONTENT];
