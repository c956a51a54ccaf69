// The graphql instrumentation's settings. Data only: the settings table (src/config) takes them in
// through the registry without loading the instrumentation.

import { defineSetting } from '../../src/config/setting.js';
import { bool, oneOf } from '../../src/config/setting-types.js';

export type ResolverSpans = 'none' | 'nontrivial' | 'all';
export type ListItemResolverSpans = 'first' | 'all';

// A span per field drowns a trace (a list of 100 items with 5 fields is 500 spans), and the conventions'
// working group asks that resolver spans never be on by default for all resolvers. `nontrivial` spans
// only fields with a resolver of their own: the ones that fetch or compute, not property reads.
export const RESOLVER_SPANS = defineSetting({
  env: 'OTEL_NODE_GRAPHQL_RESOLVER_SPANS',
  group: 'instrumentations',
  help: 'GraphQL resolver spans: none, nontrivial (fields with a resolver of their own) or all (property reads too)',
  type: oneOf<ResolverSpans>(['none', 'nontrivial', 'all']),
  default: 'none' as ResolverSpans,
});

// With resolver spans on, a list still multiplies them by its length. `first` keeps the spans of the
// first item of every list (index 0 all along the path): the count is then bounded by the document,
// not by the data, and each span still times one real resolver call.
export const RESOLVER_SPANS_LIST_ITEMS = defineSetting({
  env: 'OTEL_NODE_GRAPHQL_RESOLVER_SPANS_LIST_ITEMS',
  group: 'instrumentations',
  help: 'resolver spans inside list items: first (the first item of each list only) or all',
  type: oneOf<ListItemResolverSpans>(['first', 'all']),
  default: 'first' as ListItemResolverSpans,
});

// graphql.document is Opt-In in the conventions (v1.41 on: sensitive, unbounded, high-cardinality).
// When on, it is recorded with every literal replaced by `?` and cut at 4096 characters.
export const CAPTURE_DOCUMENT = defineSetting({
  env: 'OTEL_NODE_GRAPHQL_CAPTURE_DOCUMENT',
  group: 'instrumentations',
  help: 'record the GraphQL document as graphql.document, every literal replaced by ?',
  type: bool,
  default: false,
});

// The conventions name the operation span `{graphql.operation.type}` and advise against the
// client-chosen operation name in it by default (cardinality), offering this as an option.
export const OPERATION_NAME_IN_SPAN_NAME = defineSetting({
  env: 'OTEL_NODE_GRAPHQL_OPERATION_NAME_IN_SPAN_NAME',
  group: 'instrumentations',
  help: 'name GraphQL operation spans `{type} {operation name}` (e.g. `query GetUser`) instead of `{type}`',
  type: bool,
  default: false,
});

export const GRAPHQL_SETTINGS = [RESOLVER_SPANS, RESOLVER_SPANS_LIST_ITEMS, CAPTURE_DOCUMENT, OPERATION_NAME_IN_SPAN_NAME];
