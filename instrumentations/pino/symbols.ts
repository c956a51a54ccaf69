// pino keeps a logger's settings under Symbols from its lib/symbols.js. That file loads before
// lib/proto.js (which requires it), so the symbols seen last belong to the pino copy whose
// prototype is patched next: each copy of pino in an app is patched with its own symbols.

export interface PinoSymbols {
  readonly asJsonSym: symbol;
  readonly messageKeySym: symbol | undefined;
  /** Added in pino 7.x; the key is `err` before that. */
  readonly errorKeySym: symbol | undefined;
}

let latest: PinoSymbols | undefined;

function symbolOrUndefined(value: unknown): symbol | undefined {
  return typeof value === 'symbol' ? value : undefined;
}

export function rememberSymbols(moduleExports: unknown): void {
  if (moduleExports === null || typeof moduleExports !== 'object') return;
  const s = moduleExports as Record<string, unknown>;
  const asJsonSym = symbolOrUndefined(s.asJsonSym);
  if (asJsonSym === undefined) return;
  latest = { asJsonSym, messageKeySym: symbolOrUndefined(s.messageKeySym), errorKeySym: symbolOrUndefined(s.errorKeySym) };
}

export function latestSymbols(): PinoSymbols | undefined {
  return latest;
}
