// The API's numeric enums as constants: the numbers are part of the API's contract (and OTLP's).

export const SpanKind = { INTERNAL: 0, SERVER: 1, CLIENT: 2, PRODUCER: 3, CONSUMER: 4 } as const;
export const SpanStatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export const ValueType = { INT: 0, DOUBLE: 1 } as const;
