// Which service and operation a call is: worked out once per command class, so a call only reads
// a WeakMap. rpc.service is the client's service id (`S3`, `DynamoDB`), "as returned by the AWS
// SDK"; rpc.method the operation (`GetObject`), the command class's name without `Command`, as the
// SDK's generated clients name them (`GetObjectCommand`).

export interface ClientLike {
  readonly config?: { readonly serviceId?: unknown; readonly region?: unknown } | undefined;
  readonly middlewareStack?: MiddlewareStackLike | undefined;
}

export interface MiddlewareStackLike {
  add(middleware: Function, options: Record<string, unknown>): void;
}

export interface CommandLike {
  readonly input?: unknown;
}

/** One operation of one service: the span's name and its rpc.* values. */
export interface Operation {
  readonly service: string;
  readonly method: string;
  readonly spanName: string;
}

const byCommand = new WeakMap<Function, Operation | null>();

function withoutSuffix(name: unknown, suffix: string): string | undefined {
  if (typeof name !== 'string' || name === '') return undefined;
  return name.endsWith(suffix) && name.length > suffix.length ? name.slice(0, -suffix.length) : name;
}

/** The operation `command` is on `client`, or undefined when either is not what the SDK makes. */
export function operationOf(client: ClientLike, command: unknown): Operation | undefined {
  if (command === null || typeof command !== 'object') return undefined;
  const ctor = (command as { constructor?: unknown }).constructor;
  if (typeof ctor !== 'function') return undefined;
  let operation = byCommand.get(ctor);
  if (operation === undefined) {
    const method = withoutSuffix(ctor.name, 'Command');
    const serviceId = client.config?.serviceId;
    const service = typeof serviceId === 'string' && serviceId !== '' ? serviceId : withoutSuffix((client as { constructor?: { name?: unknown } }).constructor?.name, 'Client');
    operation = method === undefined || service === undefined ? null : { service, method, spanName: `${service}.${method}` };
    byCommand.set(ctor, operation);
  }
  return operation ?? undefined;
}
