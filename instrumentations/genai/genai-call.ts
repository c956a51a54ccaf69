// One model call (a chat completion, a Responses API call, an embeddings call, an Anthropic message):
// its CLIENT span and its two measurements, gen_ai.client.operation.duration and
// gen_ai.client.token.usage. The vendor files fill what they read from the request, the response
// body or the stream's events; this file writes it out once, when the call ends (semconv.ts says
// which conventions). A call ends once: with its parsed response, with the last event of its stream,
// with the stream closed early by the app, with an error, or at process exit.

import type { Attributes, Context, Histogram, Span, Tracer } from '@opentelemetry/api';
import { SpanKind } from '../../src/otel-api/enums.js';
import { trace } from '../../src/otel-api/trace.js';
import { atExit } from '../../src/exit/app-exit-callbacks.js';
import { ATTR_ERROR_TYPE, ERROR_TYPE_ABORTED, errorTypeOf, failSpan } from '../../src/core/error-type.js';
import { Guard } from '../../src/hook/guard.js';
import type { Telemetry } from '../../src/hook/instrumentation.js';
import { OpenEntry, OpenList } from '../../src/hook/open-list.js';
import { settingValue } from '../../src/config/setting-value.js';
import { ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from '../http/semconv.js';
import { outputMessagesJson, type GeneratedChoice } from './messages.js';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_TOOL_TYPE,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  EVENT_TOOL_CALL,
  GEN_AI_CLIENT_OPERATION_DURATION,
  GEN_AI_CLIENT_OPERATION_TIME_PER_OUTPUT_CHUNK,
  GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK,
  GEN_AI_CLIENT_TOKEN_USAGE,
  OPERATION_DURATION_BUCKETS,
  TOKEN_USAGE_BUCKETS,
} from './semconv.js';
import { CAPTURE_MESSAGE_CONTENT } from './settings.js';
import type { ServerAddress } from './server-address.js';

/** What one instrumentation (openai, anthropic) shares across its calls; made once, by its first patch. */
export class GenAiTelemetry {
  readonly guard: Guard;
  readonly tracer: Tracer;
  readonly captureContent: boolean;
  readonly duration: Histogram | undefined;
  readonly tokenUsage: Histogram | undefined;
  readonly timeToFirstChunk: Histogram | undefined;
  readonly timePerOutputChunk: Histogram | undefined;

  constructor(name: string, telemetry: Telemetry) {
    this.guard = new Guard(name);
    this.tracer = telemetry.tracer;
    this.captureContent = settingValue(telemetry.config, CAPTURE_MESSAGE_CONTENT);
    this.duration = telemetry.meter?.createHistogram(GEN_AI_CLIENT_OPERATION_DURATION, {
      unit: 's',
      description: 'GenAI operation duration.',
      advice: { explicitBucketBoundaries: [...OPERATION_DURATION_BUCKETS] },
    });
    this.tokenUsage = telemetry.meter?.createHistogram(GEN_AI_CLIENT_TOKEN_USAGE, {
      unit: '{token}',
      description: 'Number of input and output tokens used.',
      advice: { explicitBucketBoundaries: [...TOKEN_USAGE_BUCKETS] },
    });
    this.timeToFirstChunk = telemetry.meter?.createHistogram(GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK, {
      unit: 's',
      description: 'Time to receive the first chunk, measured from when the client issues the generation request to when the first chunk is received in the response stream.',
      advice: { explicitBucketBoundaries: [...OPERATION_DURATION_BUCKETS] },
    });
    this.timePerOutputChunk = telemetry.meter?.createHistogram(GEN_AI_CLIENT_OPERATION_TIME_PER_OUTPUT_CHUNK, {
      unit: 's',
      description: 'Time per output chunk, recorded for each chunk received after the first one, measured as the time elapsed from the end of the previous chunk to the end of the current chunk.',
      advice: { explicitBucketBoundaries: [...OPERATION_DURATION_BUCKETS] },
    });
  }
}

/** What a call is, known before it is sent. */
export interface CallStart {
  readonly operation: string;
  readonly provider: string;
  readonly model: string | undefined;
  readonly server: ServerAddress | undefined;
  /** The span's other start attributes (request parameters), read by the vendor file. */
  readonly attributes: Attributes;
  readonly streaming: boolean;
  /** The provider's own error identifier, where the SDK's error carries one the shared rule does not read. */
  readonly errorType?: (error: unknown) => string | undefined;
}

/**
 * The highest choice or tool-call index kept. Indexes come from the response: an absurd one must not
 * grow an array without bound. Real answers stay far below (OpenAI's n is at most 128).
 */
export const MAX_INDEX = 127;

// Calls whose span is open: at exit, their end will never come.
const inFlight = new OpenList<GenAiCall>();
atExit(() => {
  inFlight.forEach((call) => call.end(undefined, true));
});

export class GenAiCall extends OpenEntry {
  /** Undefined when another tracer already spans this call (the Anthropic SDK's own): measured only. */
  readonly span: Span | undefined;
  /** The context the SDK's own work runs in (its HTTP requests become the span's children). */
  readonly context: Context | undefined;
  readonly streaming: boolean;
  readonly #genai: GenAiTelemetry;
  readonly #start: CallStart;
  readonly #startMs = performance.now();
  #ended = false;
  #firstChunkMs: number | undefined = undefined;
  #lastChunkMs = 0;
  /** The metric attributes of the stream's chunks, made at its second chunk (the model is known by then). */
  #chunkAttributes: Attributes | undefined = undefined;

  // Filled by the vendor files from the response or the stream's events.
  responseId: string | undefined = undefined;
  responseModel: string | undefined = undefined;
  inputTokens: number | undefined = undefined;
  outputTokens: number | undefined = undefined;
  cacheReadTokens: number | undefined = undefined;
  cacheCreationTokens: number | undefined = undefined;
  reasoningTokens: number | undefined = undefined;
  /** One per generation, in order: finish reason, tool calls, and (content capture only) text. */
  readonly choices: GeneratedChoice[] = [];
  /** Provider-specific response attributes (openai.response.*). */
  extra: Attributes | undefined = undefined;
  /** The SDK began to read the response body (observe-api-promise.ts). */
  parseStarted = false;
  /** A vendor's scratch state while a stream is read (partial tool calls). */
  streamState: unknown = undefined;

  constructor(genai: GenAiTelemetry, start: CallStart, parent: Context, withSpan: boolean) {
    super();
    this.#genai = genai;
    this.#start = start;
    this.streaming = start.streaming;
    if (withSpan) {
      const attributes: Attributes = {
        [ATTR_GEN_AI_OPERATION_NAME]: start.operation,
        [ATTR_GEN_AI_PROVIDER_NAME]: start.provider,
        ...start.attributes,
      };
      if (start.model !== undefined) attributes[ATTR_GEN_AI_REQUEST_MODEL] = start.model;
      if (start.server !== undefined) {
        attributes[ATTR_SERVER_ADDRESS] = start.server.address;
        attributes[ATTR_SERVER_PORT] = start.server.port;
      }
      const name = start.model === undefined ? start.operation : `${start.operation} ${start.model}`;
      this.span = genai.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
      this.context = trace.setSpan(parent, this.span);
    } else {
      this.span = undefined;
      this.context = undefined;
    }
    inFlight.add(this);
  }

  get captureContent(): boolean {
    return this.#genai.captureContent && this.span !== undefined && this.span.isRecording();
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** The generation at `index`, made on first use; an index past MAX_INDEX (a broken answer) counts as the last. */
  choice(index: number): GeneratedChoice {
    if (!(index >= 0 && index <= MAX_INDEX)) index = MAX_INDEX;
    let choice = this.choices[index];
    if (choice === undefined) {
      for (let i = this.choices.length; i <= index; i++) this.choices.push({ finishReason: undefined, text: undefined, toolCalls: [] });
      choice = this.choices[index]!;
    }
    return choice;
  }

  /** A fault of ours while reading the call's response: logged once, and the instrumentation turns itself off. */
  internalError(error: unknown): void {
    this.#genai.guard.fail(error);
  }

  /**
   * A stream's event arrived: the first one sets gen_ai.response.time_to_first_chunk (and its metric, at
   * the end); each later one is measured in gen_ai.client.operation.time_per_output_chunk.
   */
  chunkArrived(): void {
    const now = performance.now();
    if (this.#firstChunkMs === undefined) {
      this.#firstChunkMs = now;
    } else {
      const histogram = this.#genai.timePerOutputChunk;
      if (histogram !== undefined) histogram.record((now - this.#lastChunkMs) / 1000, (this.#chunkAttributes ??= this.#metricAttributes()), this.context);
    }
    this.#lastChunkMs = now;
  }

  /** Ends the call once: `error` when it failed; `cut` when it stopped with no outcome (exit). Never throws. */
  end(error?: unknown, cut = false): void {
    if (this.#ended) return;
    this.#ended = true;
    inFlight.delete(this);
    try {
      const failed = error !== undefined || cut;
      const errorType = error !== undefined ? (this.#start.errorType?.(error) ?? errorTypeOf(error)) : cut ? ERROR_TYPE_ABORTED : undefined;
      const span = this.span;
      if (span !== undefined && span.isRecording()) this.#writeSpan(span, error, errorType, failed);
      span?.end();
      this.#measure(errorType);
    } catch (internal) {
      this.#genai.guard.fail(internal);
    }
  }

  #writeSpan(span: Span, error: unknown, errorType: string | undefined, failed: boolean): void {
    if (this.responseId !== undefined) span.setAttribute(ATTR_GEN_AI_RESPONSE_ID, this.responseId);
    if (this.responseModel !== undefined) span.setAttribute(ATTR_GEN_AI_RESPONSE_MODEL, this.responseModel);
    if (this.inputTokens !== undefined) span.setAttribute(ATTR_GEN_AI_USAGE_INPUT_TOKENS, this.inputTokens);
    if (this.outputTokens !== undefined) span.setAttribute(ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, this.outputTokens);
    if (this.cacheReadTokens !== undefined) span.setAttribute(ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, this.cacheReadTokens);
    if (this.cacheCreationTokens !== undefined) span.setAttribute(ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS, this.cacheCreationTokens);
    if (this.reasoningTokens !== undefined) span.setAttribute(ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, this.reasoningTokens);
    if (this.#firstChunkMs !== undefined) span.setAttribute(ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, (this.#firstChunkMs - this.#startMs) / 1000);
    if (this.extra !== undefined) span.setAttributes(this.extra);
    const finishReasons: string[] = [];
    for (const choice of this.choices) {
      if (choice.finishReason !== undefined) finishReasons.push(choice.finishReason);
      for (const call of choice.toolCalls) {
        // A streamed tool call is placed by its index; a gap the stream never filled is skipped.
        if (call === undefined) continue;
        const attributes: Attributes = { [ATTR_GEN_AI_TOOL_TYPE]: 'function' };
        if (call.name !== undefined) attributes[ATTR_GEN_AI_TOOL_NAME] = call.name;
        if (call.id !== undefined) attributes[ATTR_GEN_AI_TOOL_CALL_ID] = call.id;
        span.addEvent(EVENT_TOOL_CALL, attributes);
      }
    }
    if (finishReasons.length > 0) span.setAttribute(ATTR_GEN_AI_RESPONSE_FINISH_REASONS, finishReasons);
    if (this.captureContent && this.choices.length > 0) span.setAttribute(ATTR_GEN_AI_OUTPUT_MESSAGES, outputMessagesJson(this.choices));
    if (failed) {
      failSpan(span, errorType!, error);
    }
  }

  /** The attributes every gen_ai.client.* metric of this call shares. */
  #metricAttributes(): Attributes {
    const start = this.#start;
    const attributes: Attributes = { [ATTR_GEN_AI_OPERATION_NAME]: start.operation, [ATTR_GEN_AI_PROVIDER_NAME]: start.provider };
    if (start.model !== undefined) attributes[ATTR_GEN_AI_REQUEST_MODEL] = start.model;
    if (start.server !== undefined) {
      attributes[ATTR_SERVER_ADDRESS] = start.server.address;
      attributes[ATTR_SERVER_PORT] = start.server.port;
    }
    if (this.responseModel !== undefined) attributes[ATTR_GEN_AI_RESPONSE_MODEL] = this.responseModel;
    return attributes;
  }

  #measure(errorType: string | undefined): void {
    const genai = this.#genai;
    if (genai.duration === undefined && genai.tokenUsage === undefined) return;
    const attributes = this.#metricAttributes();
    if (this.#firstChunkMs !== undefined) genai.timeToFirstChunk?.record((this.#firstChunkMs - this.#startMs) / 1000, attributes, this.context);
    if (errorType !== undefined) {
      genai.duration?.record((performance.now() - this.#startMs) / 1000, { ...attributes, [ATTR_ERROR_TYPE]: errorType }, this.context);
    } else {
      genai.duration?.record((performance.now() - this.#startMs) / 1000, attributes, this.context);
    }
    // Token usage carries no error.type in the conventions; it is recorded when the count is known.
    if (genai.tokenUsage !== undefined) {
      if (this.inputTokens !== undefined) genai.tokenUsage.record(this.inputTokens, { ...attributes, [ATTR_GEN_AI_TOKEN_TYPE]: 'input' }, this.context);
      if (this.outputTokens !== undefined) genai.tokenUsage.record(this.outputTokens, { ...attributes, [ATTR_GEN_AI_TOKEN_TYPE]: 'output' }, this.context);
    }
  }
}
