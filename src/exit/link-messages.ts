// The launcher link: a socket pair between the launcher and its direct child (the child's fd
// OTEL_INSTRUMENT_LINK_FD), apart from the exit handoff's socket, that carries only a few short lines:
//   app -> launcher   `hello`           the app reports its signals from now on
//                     `listening NAME`  the app has a listener for NAME now (its default action is replaced)
//                     `default NAME`    the app has none any more (NAME ends it)
//                     `signal NAME`     the app received NAME (from whoever sent it) and emits it to its listeners
//                     `synced N`        answer to `sync N`: every signal that reached the app before is reported
//   launcher -> app   `sync N`
// Its end is how the app learns that its launcher died without warning (src/exit/app-launcher-link.ts),
// and its reports are how the launcher delivers each signal once (src/cli/signal-forwarding.ts).

export const LINK_FD_VAR = 'OTEL_INSTRUMENT_LINK_FD';

/** The signals the launcher forwards, and the app reports. */
export const LINKED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

export type LinkMessage =
  | { readonly kind: 'hello' }
  | { readonly kind: 'signal' | 'listening' | 'default'; readonly signal: NodeJS.Signals }
  | { readonly kind: 'sync' | 'synced'; readonly n: number };

export function encodeLinkMessage(message: LinkMessage): string {
  switch (message.kind) {
    case 'hello':
      return 'hello\n';
    case 'signal':
    case 'listening':
    case 'default':
      return `${message.kind} ${message.signal}\n`;
    default:
      return `${message.kind} ${message.n}\n`;
  }
}

const LINE = /^(hello|signal|listening|default|sync|synced)(?: (\w+))?$/;

/** One line without its newline; undefined for anything else (a newer peer may say more). */
export function parseLinkMessage(line: string): LinkMessage | undefined {
  const match = LINE.exec(line);
  if (match === null) return undefined;
  const [, kind, arg] = match;
  if (kind === 'hello') return { kind };
  if (kind === 'signal' || kind === 'listening' || kind === 'default') {
    return LINKED_SIGNALS.includes(arg as NodeJS.Signals) ? { kind, signal: arg as NodeJS.Signals } : undefined;
  }
  const n = Number(arg);
  return Number.isSafeInteger(n) ? { kind: kind as 'sync' | 'synced', n } : undefined;
}

/** Splits a byte stream into lines, across chunks. */
export class LineReader {
  #rest = '';
  readonly #onMessage: (message: LinkMessage) => void;

  constructor(onMessage: (message: LinkMessage) => void) {
    this.#onMessage = onMessage;
  }

  push(chunk: Buffer | string): void {
    const text = this.#rest + chunk.toString();
    const lines = text.split('\n');
    this.#rest = lines.pop() ?? '';
    // Nothing legitimate is long: a runaway line is dropped rather than buffered.
    if (this.#rest.length > 256) this.#rest = '';
    for (const line of lines) {
      const message = parseLinkMessage(line);
      if (message !== undefined) this.#onMessage(message);
    }
  }
}
