// The RPC and gRPC semantic conventions as this instrumentation applies them. Followed: the
// semantic-conventions repository at 384d661 (v1.44.0 plus the unreleased rename #3921 of
// rpc.response.status_code to rpc.status_code, and #3919 on the server's server.address); the RPC
// pages are Release Candidate there, no longer Development, so names may still change.
// docs/rpc/rpc-spans.md, docs/rpc/grpc.md, docs/rpc/rpc-metrics.md:
// - rpc.system.name 'grpc'; rpc.method is the fully-qualified `package.Service/Method`, or '_OTHER'
//   with rpc.method_original when the method is not one the library knows (method.ts);
// - span name `{rpc.method}`, or `{rpc.system.name}` when the method is '_OTHER';
// - rpc.status_code is the status code's name ('OK', 'DEADLINE_EXCEEDED'); a client counts every
//   code but OK as an error, a server only UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL,
//   UNAVAILABLE and DATA_LOSS; error.type is then that name;
// - rpc.client.call.duration and rpc.server.call.duration in seconds with the advised boundaries.

export const ATTR_RPC_SYSTEM_NAME = 'rpc.system.name';
export const ATTR_RPC_METHOD = 'rpc.method';
export const ATTR_RPC_METHOD_ORIGINAL = 'rpc.method_original';
export const ATTR_RPC_STATUS_CODE = 'rpc.status_code';

export const RPC_SYSTEM_GRPC = 'grpc';
export const RPC_METHOD_OTHER = '_OTHER';

export const RPC_CLIENT_CALL_DURATION = 'rpc.client.call.duration';
export const RPC_SERVER_CALL_DURATION = 'rpc.server.call.duration';
export const RPC_DURATION_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

// gRPC's status codes by number (grpc/doc/statuscodes.md).
const STATUS_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

export const STATUS_OK = 0;
export const STATUS_CANCELLED = 1;

/** rpc.status_code: the code's name; a code gRPC does not define is written as its number. */
export function statusName(code: number): string {
  return STATUS_NAMES[code] ?? String(code);
}

/** Codes a server reports as errors: the others are the caller's doing (grpc.md). */
const SERVER_ERRORS = new Set([2, 4, 12, 13, 14, 15]);

export function isClientError(code: number): boolean {
  return code !== STATUS_OK;
}

export function isServerError(code: number): boolean {
  return SERVER_ERRORS.has(code);
}
