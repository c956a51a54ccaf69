// Set while a logging library hands a record it already sent to its own outputs: a library that
// prints through the console (winston's Console transport with forceConsole) must not have the same
// line captured a second time by the console bridge.

let depth = 0;

export function whileLibraryWrites<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}

export function libraryWriting(): boolean {
  return depth > 0;
}
