// AWS SDK for JavaScript v3: every `@aws-sdk/client-*` through the smithy client they all extend
// (client-send.ts), with the S3, DynamoDB, SQS and SNS conventions on top (semconv.ts says which
// version). The Client class lives in @smithy/core's `client` submodule from @smithy/core 3.24 (SDK
// 3.9xx and later; @smithy/smithy-client 4.x re-exports it from there), and in @smithy/smithy-client
// itself before that. Both are CommonJS as Node loads them (the SDK's packages have no `import`
// entry for Node), so an ES module app loads them through require too.

import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { awsTelemetry } from './aws-call.js';
import { patchClientSend } from './client-send.js';

/** @smithy/core's client submodule, by the file Node resolves `@smithy/core/client` to. */
export const SMITHY_CORE_CLIENT = '@smithy/core/dist-cjs/submodules/client/index.js';

function patch(exports: unknown, telemetry: Telemetry): unknown {
  return patchClientSend(exports, awsTelemetry(telemetry));
}

export const awsSdk: Instrumentation = {
  name: 'aws-sdk',
  targets: [
    { module: SMITHY_CORE_CLIENT, versions: '>=3.24.0 <4', patch },
    { module: '@smithy/smithy-client', versions: '>=2.0.0 <5', patch },
  ],
};
