// The transport for a signal's OTLP protocol, required when first made: a gRPC run never loads the
// HTTP transport, and an HTTP run never loads node:http2.

import type { OtlpSignalConfig, Signal } from '../../../config/types.js';
import { GRPC_SERVICE_PATHS } from './grpc-paths.js';
import type { PartialSuccessInfo, Transport } from './types.js';

export function transportFor(signal: Signal, config: OtlpSignalConfig, onPartialSuccess?: (info: PartialSuccessInfo) => void): Transport {
  const tls = {
    certificateFile: config.certificateFile,
    clientKeyFile: config.clientKeyFile,
    clientCertificateFile: config.clientCertificateFile,
    proxy: config.proxy,
  };
  if (config.protocol === 'grpc') {
    const { createGrpcTransport } = require('./grpc.js') as typeof import('./grpc.js');
    return createGrpcTransport({
      url: config.url,
      path: GRPC_SERVICE_PATHS[signal],
      headers: config.headers,
      compression: config.compression,
      insecure: config.insecure,
      ...tls,
      onPartialSuccess,
    });
  }
  const { createHttpTransport } = require('./http.js') as typeof import('./http.js');
  return createHttpTransport({
    url: config.url,
    contentType: config.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
    headers: config.headers,
    compression: config.compression,
    ...tls,
    onPartialSuccess,
  });
}
