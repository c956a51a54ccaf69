// Context keys as the API makes them: Symbol.for(description), the same symbol in every copy.

export function createContextKey(description: string): symbol {
  return Symbol.for(description);
}
