// Logger.enabled (Logs API) lets the SDK say up front that a record would be dropped (after
// shutdown, or below a configured minimum severity), so a bridge skips building it. Loggers from
// older API versions do not have it: then every record is built.

import type { Context } from '@opentelemetry/api';
import type { Logger } from '@opentelemetry/api-logs';

export function wouldEmit(logger: Logger, context: Context, severityNumber: number): boolean {
  return typeof logger.enabled !== 'function' || logger.enabled({ context, severityNumber }) !== false;
}
