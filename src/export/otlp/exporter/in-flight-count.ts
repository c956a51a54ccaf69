// How many exports have started and not yet called back, so that shutdown can wait for them.

export class InFlightCount {
  #count = 0;
  #onIdle: (() => void) | undefined;

  begin(): void {
    this.#count++;
  }

  end(): void {
    if (--this.#count === 0 && this.#onIdle !== undefined) this.#onIdle();
  }

  /** Resolves once no export is in flight (at once when none is). Meant for one caller: the shutdown. */
  idle(): Promise<void> {
    return this.#count === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          this.#onIdle = resolve;
        });
  }
}
