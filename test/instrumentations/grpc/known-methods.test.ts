// OTEL_NODE_GRPC_KNOWN_METHODS names the methods a bare grpc-js Client may call by name (nice-grpc and
// protobuf-ts call it that way): a listed service's methods are named, others stay _OTHER.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type * as GrpcJs from '@grpc/grpc-js';
import { SpanKind } from '../../../src/otel-api/enums.js';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';
import { FIXTURES } from '../../support/run-cli.js';

const inProcess = instrumentInProcess(['grpc'], { OTEL_NODE_GRPC_KNOWN_METHODS: 'shop.v1.Catalog, otel.test.Other/Get' });
const { grpc } = require(join(FIXTURES, 'grpc', 'echo-service.js')) as { grpc: typeof GrpcJs };

test('a bare Client calling listed and unlisted methods', async () => {
  // Nobody listens there: each call fails at once with UNAVAILABLE, which is all this needs.
  const bare = new grpc.Client('127.0.0.1:1', grpc.credentials.createInsecure());
  const identity = (value: Buffer) => value;
  const call = (path: string) => new Promise((resolve) => bare.makeUnaryRequest(path, identity, identity, Buffer.alloc(0), resolve));
  for (const path of ['/shop.v1.Catalog/List', '/otel.test.Other/Get', '/otel.test.Other/Put']) await call(path);
  bare.close();
  const clients = inProcess.spans.filter((s) => s.kind === SpanKind.CLIENT);
  assert.deepEqual(
    clients.map((s) => [s.name, s.attributes['rpc.method'], s.attributes['rpc.method_original']]),
    [
      ['shop.v1.Catalog/List', 'shop.v1.Catalog/List', undefined],
      ['otel.test.Other/Get', 'otel.test.Other/Get', undefined],
      ['grpc', '_OTHER', 'otel.test.Other/Put'],
    ],
  );
});
