// An uncaught exception that ends the process is the most important log line of all: Node prints
// its report straight to stderr (not through console), so it is recorded here as a FATAL record,
// before the 'exit' handler sends what the queues hold.

import type { LoggerProvider } from '@opentelemetry/api-logs';
import { inspect } from 'node:util';
import { diag } from '../diag/log.js';
import { instrumentationScopeName } from '../hook/scoped-telemetry.js';
import { PACKAGE_VERSION } from '../package-info.js';

export function recordFatalExceptions(provider: LoggerProvider): void {
  const logger = provider.getLogger(instrumentationScopeName('process'), PACKAGE_VERSION);
  process.on('uncaughtExceptionMonitor', (error, origin) => {
    // With an 'uncaughtException' handler the app lives on and Node prints nothing.
    if (process.listenerCount('uncaughtException') > 0) return;
    try {
      logger.emit({
        timestamp: Date.now(),
        severityNumber: 21,
        severityText: 'FATAL',
        body: inspect(error),
        attributes: { 'exception.escaped': true, 'otel-instrument.origin': origin },
        exception: error,
      });
    } catch (internal) {
      diag.debug(`recording the fatal exception as a log record failed: ${String(internal)}`);
    }
  });
}
