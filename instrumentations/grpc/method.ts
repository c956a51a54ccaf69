// rpc.method and the span name of a call, from its path `/package.Service/Method`.
//
// The conventions allow the method's own name only when the library recognizes the method, and
// want '_OTHER' (the name kept in rpc.method_original) otherwise, so that a path chosen by whoever
// sends it cannot make the method unbounded. A server only runs registered methods: those are
// recognized. A client call is recognized when it comes from a stub grpc-js made from a service
// definition (loadPackageDefinition, makeClientConstructor, code generated for grpc-js: the stub's
// class keeps that definition), or when its method or service is listed in
// OTEL_NODE_GRPC_KNOWN_METHODS (the way the conventions ask for): libraries that call a bare Client
// with their own definitions (nice-grpc, protobuf-ts) are recognized that way.

import { RPC_METHOD_OTHER, RPC_SYSTEM_GRPC } from './semconv.js';

export interface RpcMethod {
  /** rpc.method: `package.Service/Method`, or '_OTHER'. */
  readonly name: string;
  /** rpc.method_original, when `name` is '_OTHER'. */
  readonly original: string | undefined;
  readonly spanName: string;
}

// Recognized paths only: their number is bounded by the definitions the app loaded.
const recognized = new Map<string, RpcMethod>();

function withoutSlash(path: string): string {
  return path.charCodeAt(0) === 47 /* / */ ? path.slice(1) : path;
}

/** A method the library knows: its name as rpc.method and the span name. */
export function knownMethod(path: string): RpcMethod {
  let method = recognized.get(path);
  if (method === undefined) {
    const name = withoutSlash(path);
    method = { name, original: undefined, spanName: name };
    recognized.set(path, method);
  }
  return method;
}

export function otherMethod(path: string): RpcMethod {
  return { name: RPC_METHOD_OTHER, original: withoutSlash(path), spanName: RPC_SYSTEM_GRPC };
}

/** Paths of the service definition a stub class was made from (its static `service`). */
const stubPaths = new WeakMap<object, ReadonlySet<string>>();
const NO_PATHS: ReadonlySet<string> = new Set();

function pathsOfStub(ctor: unknown): ReadonlySet<string> {
  if (typeof ctor !== 'function') return NO_PATHS;
  let paths = stubPaths.get(ctor);
  if (paths === undefined) {
    const set = new Set<string>();
    const service = (ctor as { service?: unknown }).service;
    if (typeof service === 'object' && service !== null) {
      for (const definition of Object.values(service)) {
        const path = (definition as { path?: unknown } | null)?.path;
        if (typeof path === 'string') set.add(path);
      }
    }
    paths = set;
    stubPaths.set(ctor, paths);
  }
  return paths;
}

/** OTEL_NODE_GRPC_KNOWN_METHODS: `package.Service/Method` or a whole `package.Service`. */
export class KnownMethods {
  readonly #entries: ReadonlySet<string>;

  constructor(entries: readonly string[] | undefined) {
    this.#entries = new Set((entries ?? []).map(withoutSlash));
  }

  has(path: string): boolean {
    if (this.#entries.size === 0) return false;
    const name = withoutSlash(path);
    if (this.#entries.has(name)) return true;
    const slash = name.lastIndexOf('/');
    return slash > 0 && this.#entries.has(name.slice(0, slash));
  }
}

/** The method of a client call on `client` (a grpc-js Client or a stub made from a definition). */
export function clientMethod(client: unknown, path: string, known: KnownMethods): RpcMethod {
  const cached = recognized.get(path);
  // A path seen recognized before is one the app's definitions hold.
  if (cached !== undefined) return cached;
  const ctor = typeof client === 'object' && client !== null ? (client as { constructor?: unknown }).constructor : undefined;
  if (pathsOfStub(ctor).has(path) || known.has(path)) return knownMethod(path);
  return otherMethod(path);
}
