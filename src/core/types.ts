// The data types every signal shares: time, attributes, the instrumentation scope and the resource.
// They live below trace, metrics and logs so that none of those depends on another.

/** Epoch time as [seconds, nanoseconds]: epoch nanoseconds exceed 2^53, so never one JS number. */
export type HrTime = [number, number];

export type AttributeValue =
  | string
  | number
  | boolean
  | ReadonlyArray<string | null | undefined>
  | ReadonlyArray<number | null | undefined>
  | ReadonlyArray<boolean | null | undefined>;

export interface Attributes {
  [key: string]: AttributeValue | undefined;
}

export interface InstrumentationScope {
  readonly name: string;
  readonly version?: string;
  readonly schemaUrl?: string;
}

export interface Resource {
  readonly attributes: Attributes;
  readonly schemaUrl?: string;
}
