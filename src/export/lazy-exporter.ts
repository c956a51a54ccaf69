// Builds the real exporter on its first export: the OTLP stack (protobufjs, http2, encoders)
// then loads seconds after startup, off the app's start-to-first-request path.

import type { Exporter } from '../core/export-result.js';

export function lazyExporter<T>(create: () => Exporter<T>): Exporter<T> {
  let exporter: Exporter<T> | undefined;
  return {
    export(batch, done) {
      exporter ??= create();
      exporter.export(batch, done);
    },
    shutdown() {
      return exporter === undefined ? Promise.resolve() : exporter.shutdown();
    },
    onTheWire: () => exporter?.onTheWire?.() === true,
  };
}
