// The Span handed out for a span context that is not ours to record (a remote parent, a dropped
// or suppressed span): it carries the context and ignores everything else, as the API's does.

import type { Span, SpanContext } from '@opentelemetry/api';
import { INVALID_SPAN_CONTEXT } from './span-context.js';

export class NonRecordingSpan implements Span {
  readonly #spanContext: SpanContext;

  constructor(spanContext: SpanContext = INVALID_SPAN_CONTEXT) {
    this.#spanContext = spanContext;
  }

  spanContext(): SpanContext {
    return this.#spanContext;
  }
  setAttribute(): this {
    return this;
  }
  setAttributes(): this {
    return this;
  }
  addEvent(): this {
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(): this {
    return this;
  }
  updateName(): this {
    return this;
  }
  end(): void {}
  isRecording(): boolean {
    return false;
  }
  recordException(): void {}
}
