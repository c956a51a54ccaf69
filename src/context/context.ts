// A Context is an immutable chain of (key, value) links. setValue allocates one small
// object and copies nothing, unlike the API's BaseContext, which copies a Map each time.

import type { Context } from '@opentelemetry/api';

class LinkedContext implements Context {
  readonly #parent: LinkedContext | undefined;
  readonly #key: symbol | undefined;
  readonly #value: unknown;

  constructor(parent: LinkedContext | undefined, key: symbol | undefined, value: unknown) {
    this.#parent = parent;
    this.#key = key;
    this.#value = value;
  }

  getValue(key: symbol): unknown {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let link: LinkedContext | undefined = this;
    while (link !== undefined) {
      if (link.#key === key) return link.#value;
      link = link.#parent;
    }
    return undefined;
  }

  setValue(key: symbol, value: unknown): Context {
    return new LinkedContext(this, key, value);
  }

  // A link that maps the key to undefined hides every older value of it, which is what delete means here.
  deleteValue(key: symbol): Context {
    return new LinkedContext(this, key, undefined);
  }
}

export const ROOT_CONTEXT: Context = new LinkedContext(undefined, undefined, undefined);
