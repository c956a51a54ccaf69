// The grpc instrumentation's setting. Data only: the settings table (src/config) takes it in through
// the registry without loading the instrumentation.

import { defineSetting } from '../../src/config/setting.js';
import { names } from '../../src/config/setting-types.js';

// The conventions name an unrecognized method '_OTHER' and ask for a way to list the valid ones
// (method.ts says which client calls need it).
export const GRPC_KNOWN_METHODS = defineSetting({
  env: 'OTEL_NODE_GRPC_KNOWN_METHODS',
  group: 'instrumentations',
  help: 'gRPC methods (package.Service/Method) or whole services (package.Service) that client calls made without a grpc-js stub may name in rpc.method; others are reported as _OTHER',
  type: names({ lowerCase: false }),
  default: undefined,
});

export const GRPC_SETTINGS = [GRPC_KNOWN_METHODS];
