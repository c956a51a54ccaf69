// Which signals the launcher passes on to the app, so that each reaches the app exactly once however it
// was sent. The app stays in the launcher's process group (it keeps the terminal: job control, stdin,
// Ctrl-Z behave as without us), so a signal sent to the group (Ctrl-C, `kill -- -PGID`) or to every
// process of a control group (systemd) reaches the app directly, while one sent to the launcher's pid
// (docker stop, a supervisor) reaches only the launcher. The launcher cannot tell the two apart, but
// the app can: over the link it says which signals it listens to and reports each it receives
// (src/exit/app-launcher-link.ts). So, for each signal the launcher receives:
//   - the app does not listen to it (our own listeners, which only send what is pending first, do not
//     count): forward at once. The signal ends the app, and a second copy of it changes nothing, so this
//     is right whether or not the app got it too;
//   - the app reported the same signal a moment ago: it got this one already, nothing to forward;
//   - otherwise the launcher asks the app to sync, and forwards the signal only if no report of it came
//     before the answer. A busy or stopped app answers late, but would also have handled the signal late.
// If the app dies meanwhile, its end decides, and nothing is forwarded. A child that never linked
// (not a Node.js process, or a preload that did not run) gets every signal forwarded, except the
// keyboard's while the launcher is on a terminal, which the terminal sends to the whole group.

/** A report that arrived this long before the launcher's own copy of the signal still matches it. */
export const REPORT_MATCH_MS = 500;

// Ctrl-C and Ctrl-\ in a terminal reach the whole foreground process group, the child included.
const KEYBOARD_SIGNALS = new Set<string>(['SIGINT', 'SIGQUIT']);

export interface ForwardingOptions {
  /** Sends `signal` to the app. */
  deliver(signal: NodeJS.Signals): void;
  /** Asks the app for `synced n` over the link. */
  requestSync(n: number): void;
  /** The launcher's stdin is a terminal (decides keyboard signals for a child that never linked). */
  readonly interactive: boolean;
  readonly now?: () => number;
}

export class SignalForwarding {
  readonly #options: ForwardingOptions;
  readonly #now: () => number;
  #linked = false;
  /** Signals the app has a listener for (handled in JavaScript, not by their default action). */
  readonly #listening = new Set<NodeJS.Signals>();
  /** Per signal, when each report not matched yet arrived. */
  readonly #reports = new Map<NodeJS.Signals, number[]>();
  /** Per signal, forwards whose report has not come back yet. */
  readonly #echoes = new Map<NodeJS.Signals, number>();
  /** Signals the launcher received, waiting for the answer to their sync. */
  #waiting: { readonly signal: NodeJS.Signals; readonly sync: number }[] = [];
  #nextSync = 1;
  #childGone = false;

  constructor(options: ForwardingOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** The launcher received `signal`. */
  received(signal: NodeJS.Signals): void {
    if (this.#childGone) return;
    if (!this.#linked) {
      if (!(this.#options.interactive && KEYBOARD_SIGNALS.has(signal))) this.#options.deliver(signal);
      return;
    }
    if (!this.#listening.has(signal)) {
      this.#options.deliver(signal);
      return;
    }
    if (this.#takeReport(signal, this.#now() - REPORT_MATCH_MS)) return;
    const sync = this.#nextSync++;
    this.#waiting.push({ signal, sync });
    this.#options.requestSync(sync);
  }

  /** The app linked (any message of its says so). */
  linked(): void {
    this.#linked = true;
  }

  /** The app now listens to `signal` (true), or leaves it to its default action (false). */
  listens(signal: NodeJS.Signals, listening: boolean): void {
    this.#linked = true;
    if (listening) this.#listening.add(signal);
    else this.#listening.delete(signal);
  }

  /** The app reported receiving `signal`. */
  reported(signal: NodeJS.Signals): void {
    this.#linked = true;
    const echoes = this.#echoes.get(signal) ?? 0;
    if (echoes > 0) {
      this.#echoes.set(signal, echoes - 1);
      return;
    }
    const waiting = this.#waiting.findIndex((w) => w.signal === signal);
    if (waiting !== -1) {
      this.#waiting.splice(waiting, 1);
      return;
    }
    let reports = this.#reports.get(signal);
    if (reports === undefined) this.#reports.set(signal, (reports = []));
    reports.push(this.#now());
  }

  /** The app answered `sync`: what waited for it and was not reported did not reach the app. */
  synced(sync: number): void {
    const due = this.#waiting.filter((w) => w.sync <= sync);
    if (due.length === 0) return;
    this.#waiting = this.#waiting.filter((w) => w.sync > sync);
    for (const { signal } of due) {
      this.#echoes.set(signal, (this.#echoes.get(signal) ?? 0) + 1);
      this.#options.deliver(signal);
    }
  }

  /** The app has ended: nothing more to forward. */
  childGone(): void {
    this.#childGone = true;
    this.#waiting = [];
  }

  /** Takes one report of `signal` that arrived at or after `since`; older ones are stale and dropped. */
  #takeReport(signal: NodeJS.Signals, since: number): boolean {
    const reports = this.#reports.get(signal);
    if (reports === undefined) return false;
    while (reports.length > 0 && reports[0]! < since) reports.shift();
    return reports.shift() !== undefined;
  }
}
