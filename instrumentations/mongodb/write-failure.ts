// A write command can succeed as a command (ok: 1) and still fail its writes: the server lists them in
// `writeErrors` (a duplicate key) or `writeConcernError`, and the driver throws a MongoServerError or
// MongoBulkWriteError to the app from that reply. The span is failed with the first one, as the app sees.

/** What the span records of such a failure: shaped like the error the driver throws. */
export interface WriteFailure {
  readonly name: 'MongoServerError';
  readonly message: string;
  readonly code: number | undefined;
}

/** The driver's lazily parsed reply (6.8 and later, with a response type): has() reads no value. */
interface LazyReply {
  has(name: string): boolean;
  toObject(): Record<string, unknown>;
}

function isLazy(reply: object): reply is LazyReply {
  return typeof (reply as Partial<LazyReply>).has === 'function' && typeof (reply as Partial<LazyReply>).toObject === 'function';
}

function failureOf(entry: unknown): WriteFailure | undefined {
  if (entry === null || typeof entry !== 'object') return undefined;
  const { code, errmsg } = entry as { code?: unknown; errmsg?: unknown };
  return { name: 'MongoServerError', message: typeof errmsg === 'string' ? errmsg : '', code: typeof code === 'number' ? code : undefined };
}

/** The reply's first write error, else its write concern error, else undefined. Never throws on a reply. */
export function writeFailureOf(reply: unknown): WriteFailure | undefined {
  if (reply === null || typeof reply !== 'object') return undefined;
  let document = reply as Record<string, unknown>;
  if (isLazy(reply)) {
    // Parsed in full only when there is a failure to read.
    if (!reply.has('writeErrors') && !reply.has('writeConcernError')) return undefined;
    document = reply.toObject();
  }
  const errors = document.writeErrors;
  if (Array.isArray(errors) && errors.length > 0) return failureOf(errors[0]);
  return failureOf(document.writeConcernError);
}
