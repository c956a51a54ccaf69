// Names from the GraphQL semantic conventions, v1.44.0 (docs/graphql/graphql-spans.md and
// docs/registry/attributes/graphql.md), status Development: the operation span `span.graphql.server`.
//
// The conventions define only that span. The parse and validation span names and the resolver span's
// name and attributes come from the GraphQL working group's draft (github.com/graphql/otel-wg,
// spec/spans.yml and spec/registry.yaml, proposed upstream as semantic-conventions#3515, still open):
// none of them is in the registry yet, so they are grouped here to follow it when it lands.

export const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
export const ATTR_GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';
export const ATTR_GRAPHQL_DOCUMENT = 'graphql.document';

/** The operation span's name when the operation type is not known (the document names no operation to run). */
export const UNKNOWN_OPERATION_SPAN_NAME = 'GraphQL Operation';

// Working group draft.
export const PARSE_SPAN_NAME = 'GraphQL Document Parsing';
export const VALIDATE_SPAN_NAME = 'GraphQL Document Validation';
/** The alias if the selection has one, else the field name. */
export const ATTR_GRAPHQL_SELECTION_NAME = 'graphql.selection.name';
/** Where the value lands in the result, aliases and list indices included: `users[0].name`. */
export const ATTR_GRAPHQL_SELECTION_PATH = 'graphql.selection.path';
export const ATTR_GRAPHQL_SELECTION_FIELD_NAME = 'graphql.selection.field.name';
export const ATTR_GRAPHQL_SELECTION_FIELD_PARENT_TYPE = 'graphql.selection.field.parent_type';
/** `{ParentType}.{fieldName}`: also the resolver span's name. */
export const ATTR_GRAPHQL_SELECTION_FIELD_COORDINATE = 'graphql.selection.field.coordinate';
