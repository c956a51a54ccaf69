// A streamed response: the SDKs' Stream object, whose `iterator` property makes the async iterator
// every way of reading it goes through ([Symbol.asyncIterator], tee(), toReadableStream()). We replace
// that property on the one Stream the app receives: each event is read on its way to the app, which
// gets the very same results in the same order; nothing is read ahead, nothing is buffered. The call
// ends with the last event (timing and usage from the final event), an error, or the app's early
// return() (a `break` out of its loop).

import type { GenAiCall } from './genai-call.js';
import type { ResponseReader } from './observe-api-promise.js';

type AsyncIteratorLike = {
  next(...args: unknown[]): Promise<IteratorResult<unknown>>;
  return?(value?: unknown): Promise<IteratorResult<unknown>>;
  throw?(error?: unknown): Promise<IteratorResult<unknown>>;
};

class ObservedIterator {
  readonly #inner: AsyncIteratorLike;
  readonly #call: GenAiCall;
  readonly #reader: ResponseReader;
  readonly #onResult = (result: IteratorResult<unknown>): IteratorResult<unknown> => {
    const call = this.#call;
    if (!call.ended) {
      if (result.done === true) call.end();
      else {
        try {
          call.chunkArrived();
          this.#reader.event(call, result.value);
        } catch (error) {
          // Our fault, not the stream's: the app still gets the event; the call still ends with the stream.
          call.internalError(error);
        }
      }
    }
    return result;
  };
  readonly #onError = (error: unknown): never => {
    this.#call.end(error);
    throw error;
  };

  constructor(inner: AsyncIteratorLike, call: GenAiCall, reader: ResponseReader) {
    this.#inner = inner;
    this.#call = call;
    this.#reader = reader;
  }

  next(...args: unknown[]): Promise<IteratorResult<unknown>> {
    return this.#inner.next(...args).then(this.#onResult, this.#onError);
  }

  return(value?: unknown): Promise<IteratorResult<unknown>> {
    // Closed by the app before the end: the call ends with what it got (not an error).
    this.#call.end();
    const inner = this.#inner;
    return typeof inner.return === 'function' ? inner.return(value) : Promise.resolve({ done: true, value });
  }

  throw(error?: unknown): Promise<IteratorResult<unknown>> {
    const inner = this.#inner;
    if (typeof inner.throw === 'function') return inner.throw(error).then(this.#onResult, this.#onError);
    this.#call.end(error);
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Wraps a Stream's `iterator`; false when `value` is not a Stream we know. */
export function observeStream(call: GenAiCall, reader: ResponseReader, value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stream = value as { iterator?: unknown };
  const iterator = stream.iterator;
  if (typeof iterator !== 'function') return false;
  stream.iterator = function observedIterator(this: unknown) {
    const inner = Reflect.apply(iterator, this, arguments) as AsyncIteratorLike;
    return new ObservedIterator(inner, call, reader);
  };
  return true;
}
