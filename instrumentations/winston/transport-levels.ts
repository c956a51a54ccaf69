// Whether winston will write a record anywhere: the logger itself does not filter by level, each
// transport does (winston-transport `_write`: the transport's level, else the logger's, must be at
// or above the record's). A record no transport takes is not sent either.

const LEVEL = Symbol.for('level');

interface TransportLike {
  readonly level?: string;
  readonly silent?: boolean;
  readonly handleExceptions?: boolean;
}

export interface WinstonLoggerLike {
  readonly level?: string;
  readonly levels?: Readonly<Record<string, number>>;
  readonly _readableState?: { readonly pipes?: TransportLike | TransportLike[] | null };
}

function takes(transport: TransportLike | null | undefined, loggerLevel: string | undefined, levels: Readonly<Record<string, number>>, value: number, exception: boolean): boolean {
  if (transport === null || transport === undefined || transport.silent === true) return false;
  if (exception && transport.handleExceptions !== true) return false;
  const name = transport.level || loggerLevel;
  if (!name) return true;
  const threshold = levels[name];
  return typeof threshold === 'number' && threshold >= value;
}

export function isWritten(logger: WinstonLoggerLike, info: Record<string | symbol, unknown>): boolean {
  const levels = logger.levels;
  if (levels === undefined) return false;
  const value = levels[info[LEVEL] as string];
  if (typeof value !== 'number') return false; // winston warns "Unknown logger level" and no transport writes it
  const exception = info.exception === true;
  // readable-stream 3 keeps one pipe as the stream itself and several as an array.
  const pipes = logger._readableState?.pipes;
  if (Array.isArray(pipes)) {
    for (let i = 0; i < pipes.length; i++) if (takes(pipes[i], logger.level, levels, value, exception)) return true;
    return false;
  }
  return takes(pipes, logger.level, levels, value, exception);
}
