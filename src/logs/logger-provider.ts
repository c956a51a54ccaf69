// The LoggerProvider registered as the @opentelemetry/api-logs global: one logger per scope.

import type { Logger, LoggerOptions, LoggerProvider } from '@opentelemetry/api-logs';
import type { LogRecordLimits } from '../config/types.js';
import type { Resource } from '../core/types.js';
import { SdkLogger, type LogRecordListener, type LoggerState } from './logger.js';

export interface LoggerProviderOptions {
  readonly resource: Resource;
  readonly limits: LogRecordLimits;
  readonly listener: LogRecordListener;
}

export class SdkLoggerProvider implements LoggerProvider {
  readonly #state: LoggerState;
  readonly #loggers = new Map<string, SdkLogger>();

  constructor(options: LoggerProviderOptions) {
    this.#state = { resource: options.resource, limits: options.limits, listener: options.listener, stopped: false };
  }

  getLogger(name: string, version?: string, options?: LoggerOptions): Logger {
    const schemaUrl = options?.schemaUrl;
    const key = `${name}@${version ?? ''}@${schemaUrl ?? ''}`;
    let logger = this.#loggers.get(key);
    if (logger === undefined) {
      // Spec: an empty or missing name still gets a working logger.
      logger = new SdkLogger({ name: typeof name === 'string' ? name : '', version, schemaUrl }, this.#state);
      this.#loggers.set(key, logger);
    }
    return logger;
  }

  /** Later emits are ignored (shutdown). */
  stop(): void {
    this.#state.stopped = true;
  }
}
