// Trace context in gRPC metadata, through the configured propagator: written into a client call's
// metadata, read from a server call's request headers.

import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import type { IncomingHttpHeaders } from 'node:http2';

/** The part of grpc-js's Metadata we use. */
export interface MetadataLike {
  get(key: string): unknown[];
  set(key: string, value: string): void;
  clone(): MetadataLike;
}

/**
 * Writes a key only when the app's metadata has none: a value the app set is sent as it set it. A
 * value gRPC metadata cannot carry (grpc-js throws on characters outside printable ASCII) is left out.
 */
export const metadataSetter: TextMapSetter<MetadataLike> = {
  set(metadata, key, value) {
    if (metadata.get(key).length !== 0) return;
    try {
      metadata.set(key, value);
    } catch {
      // Not sendable as metadata: the call goes without this key.
    }
  },
};

/** A server call's HTTP/2 request headers (lower-case names), as grpc-js received them. */
export const headersGetter: TextMapGetter<IncomingHttpHeaders> = {
  get(headers, key) {
    return headers[key];
  },
  keys(headers) {
    return Object.keys(headers);
  },
};
