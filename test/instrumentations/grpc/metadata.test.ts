// Writing trace context into grpc-js Metadata: keys the app set are kept, values metadata cannot carry
// are left out instead of throwing into the call.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata } from '@grpc/grpc-js';
import { metadataSetter } from '../../../instrumentations/grpc/metadata.js';

test('a key the app set keeps its value; a new one is added; an unsendable value is skipped', () => {
  const metadata = new Metadata();
  metadata.set('traceparent', 'the app set this');
  metadataSetter.set(metadata, 'traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  metadataSetter.set(metadata, 'baggage', 'user=alice');
  metadataSetter.set(metadata, 'tracestate', 'vendor=caf\u00e9');
  assert.deepEqual(metadata.getMap(), { traceparent: 'the app set this', baggage: 'user=alice' });
});
