// embeddings.create: gen-ai-spans.md's embeddings span, operation `embeddings`. Input tokens only.

import type { Attributes } from '@opentelemetry/api';
import { fieldsOf, integerField, put, stringField } from '../genai/read-fields.js';
import { ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT, ATTR_GEN_AI_REQUEST_ENCODING_FORMATS, OPERATION_EMBEDDINGS } from '../genai/semconv.js';
import type { ModelOperation } from '../genai/wrap-model-call.js';
import { openAiCallStart } from './provider.js';

export const embeddings: ModelOperation = {
  start(params, client) {
    const attributes: Attributes = {};
    const format = stringField(params.encoding_format);
    if (format !== undefined) attributes[ATTR_GEN_AI_REQUEST_ENCODING_FORMATS] = [format];
    put(attributes, ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT, integerField(params.dimensions));
    return openAiCallStart(OPERATION_EMBEDDINGS, params, client, attributes, false);
  },
  body(call, value) {
    const body = fieldsOf(value);
    if (body === undefined) return;
    call.responseModel = stringField(body.model);
    const input = integerField(fieldsOf(body.usage)?.prompt_tokens);
    if (input !== undefined) call.inputTokens = input;
  },
  event() {},
};
