// server.address and server.port from gRPC channel targets (grpc.md's examples and the targets grpc-js
// itself writes), network.peer.* from what grpc-js reports as a call's peer, and which client methods
// are recognized.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientMethod, KnownMethods } from '../../../instrumentations/grpc/method.js';
import { parsePeer, parseTarget } from '../../../instrumentations/grpc/target.js';

test('targets as the conventions parse them', () => {
  // grpc.md's examples.
  assert.deepEqual(parseTarget('dns:grpc.io:50051'), { address: 'grpc.io', port: 50051 });
  assert.deepEqual(parseTarget('dns://1.2.3.4/grpc.io:50051'), { address: 'grpc.io', port: 50051 });
  assert.deepEqual(parseTarget('unix:///run/containerd/containerd.sock'), { address: '/run/containerd/containerd.sock', port: undefined });
  assert.deepEqual(parseTarget('zk://zookeeper:2181/my-server'), { address: 'zk://zookeeper:2181/my-server', port: undefined });
  assert.deepEqual(parseTarget('ipv4:198.51.100.123:50051,198.51.100.124:50051'), {
    address: 'ipv4:198.51.100.123:50051,198.51.100.124:50051',
    port: undefined,
  });
  // What grpc-js makes of `localhost:50051`, `[::1]:50051`, a host alone, relative sockets.
  assert.deepEqual(parseTarget('dns:localhost:50051'), { address: 'localhost', port: 50051 });
  assert.deepEqual(parseTarget('dns:[::1]:50051'), { address: '::1', port: 50051 });
  assert.deepEqual(parseTarget('dns:example.com'), { address: 'example.com', port: 443 });
  assert.deepEqual(parseTarget('unix:relative.sock'), { address: 'relative.sock', port: undefined });
  assert.deepEqual(parseTarget('ipv4:10.0.0.1:7000'), { address: '10.0.0.1', port: 7000 });
  assert.deepEqual(parseTarget('ipv6:[2001:db8::1]:7000'), { address: '2001:db8::1', port: 7000 });
  assert.deepEqual(parseTarget('xds:///my-service'), { address: 'xds:///my-service', port: undefined });
  // Not host:port: the whole target.
  assert.deepEqual(parseTarget('dns:host:notaport'), { address: 'dns:host:notaport', port: undefined });
});

test('peers: IP and port or a socket path; anything else (unknown, the target before a connection) gives none', () => {
  assert.deepEqual(parsePeer('127.0.0.1:50051'), { address: '127.0.0.1', port: 50051 });
  assert.deepEqual(parsePeer('[::1]:50051'), { address: '::1', port: 50051 });
  assert.deepEqual(parsePeer('/tmp/grpc.sock'), { address: '/tmp/grpc.sock', port: undefined });
  assert.equal(parsePeer('unknown'), undefined);
  assert.equal(parsePeer('dns:localhost:50051'), undefined);
  assert.equal(parsePeer(undefined), undefined);
});

test('client methods: a stub\'s own definitions and the listed methods or services are named, others are _OTHER', () => {
  class Stub {
    static service = { Get: { path: '/shop.v1.Catalog/Get' } };
  }
  const none = new KnownMethods(undefined);
  assert.deepEqual(clientMethod(new Stub(), '/shop.v1.Catalog/Get', none), { name: 'shop.v1.Catalog/Get', original: undefined, spanName: 'shop.v1.Catalog/Get' });
  assert.deepEqual(clientMethod({}, '/shop.v1.Orders/Place', none), { name: '_OTHER', original: 'shop.v1.Orders/Place', spanName: 'grpc' });

  const listed = new KnownMethods(['shop.v1.Orders/Place', 'shop.v1.Carts']);
  assert.equal(clientMethod({}, '/shop.v1.Orders/Place', listed).name, 'shop.v1.Orders/Place');
  assert.equal(clientMethod({}, '/shop.v1.Carts/Add', listed).name, 'shop.v1.Carts/Add');
  assert.equal(clientMethod({}, '/shop.v1.Orders/Cancel', listed).name, '_OTHER');
  assert.equal(clientMethod({}, '/shop.v1.Cartsx/Add', listed).name, '_OTHER');
});
