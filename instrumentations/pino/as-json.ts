// pino turns every record it writes into one JSON line in `asJson` (lib/tools.js, called from
// lib/proto.js `write` only for enabled levels). Wrapping it on the shared prototype is the one
// place where, in the app's thread and in the caller's context, we both see the finished line
// (to send it as a log record) and can return it with trace_id / span_id / trace_flags added,
// whatever stream follows: sonic-boom, multistream, or a transport's worker thread, which
// receives the line as we return it.

import type { Logger } from '@opentelemetry/api-logs';
import { activeContext } from '../../src/context/als-context-manager.js';
import { Guard } from '../../src/hook/guard.js';
import { appendJsonMembers, traceFieldsJson, validSpanContext } from '../log-bridge/trace-fields.js';
import { emitLine, type LineSource } from './line-record.js';
import type { PinoSymbols } from './symbols.js';

export const guard = new Guard('pino');

const OWN_TRACE_ID = '"trace_id":';

let otelLogger: Logger | undefined;

/** Undefined when logs are not exported: lines still get their trace fields. */
export function setLogger(logger: Logger | undefined): void {
  otelLogger = logger;
}

type AsJson = (this: PinoInstance, obj: unknown, msg: unknown, num: number, time: string) => string;

interface PinoInstance {
  readonly levels?: { readonly labels?: Readonly<Record<number, string>> };
  readonly [key: symbol]: unknown;
}

function lineSource(instance: PinoInstance, symbols: PinoSymbols): LineSource {
  const messageKey = symbols.messageKeySym === undefined ? undefined : instance[symbols.messageKeySym];
  const errorKey = symbols.errorKeySym === undefined ? undefined : instance[symbols.errorKeySym];
  return {
    messageKey: typeof messageKey === 'string' ? messageKey : 'msg',
    errorKey: typeof errorKey === 'string' ? errorKey : 'err',
    labels: instance.levels?.labels,
  };
}

function bridge(instance: PinoInstance, line: string, level: number, symbols: PinoSymbols): string {
  const ctx = activeContext();
  if (otelLogger !== undefined) emitLine(otelLogger, line, level, lineSource(instance, symbols), ctx);
  const sc = validSpanContext(ctx);
  if (sc === undefined) return line;
  // The app's own trace_id (a mixin, a field) wins, as in the winston and bunyan bridges: a second
  // key would make the line ambiguous. Inside a JSON string a quote is escaped, so this only
  // matches a key.
  return line.includes(OWN_TRACE_ID) ? line : appendJsonMembers(line, traceFieldsJson(sc));
}

export function wrapAsJson(original: AsJson, symbols: PinoSymbols): AsJson {
  return function asJson(this: PinoInstance, obj: unknown, msg: unknown, num: number, time: string): string {
    const line = original.call(this, obj, msg, num, time);
    if (!guard.enabled || typeof line !== 'string') return line;
    try {
      return bridge(this, line, num, symbols);
    } catch (error) {
      guard.fail(error);
      return line;
    }
  };
}
