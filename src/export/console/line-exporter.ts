// The console exporters' shared shape: one JSON object per item, one per line, on stdout.
// Written with process.stdout.write, never console.*, so captured console calls cannot loop back.

import { EXPORT_OK, type ExportResult, type Exporter } from '../../core/export-result.js';

/** Uint8Array values (log bodies) print as base64 rather than as an index->byte object. */
function bytesAsBase64(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value).toString('base64') : value;
}

export function createLineExporter<T>(
  toJson: (item: T) => object | readonly object[],
  write: (text: string) => void = (text) => process.stdout.write(text),
): Exporter<T> {
  return {
    export(batch: readonly T[], done: (result: ExportResult) => void): void {
      let text = '';
      for (const item of batch) {
        const json = toJson(item);
        for (const line of Array.isArray(json) ? json : [json]) text += JSON.stringify(line, bytesAsBase64) + '\n';
      }
      try {
        if (text !== '') write(text);
        done(EXPORT_OK);
      } catch (error) {
        done({ ok: false, retryable: false, error: error as Error });
      }
    },
    shutdown: () => Promise.resolve(),
  };
}
