// The few GraphQL AST shapes we read, typed structurally: graphql is the app's dependency, not ours,
// and the node kinds below are the same strings in graphql 15, 16 and 17.

export interface NameNode {
  readonly value: string;
}

export interface AstNode {
  readonly kind: string;
  readonly name?: NameNode | undefined;
}

export interface OperationNode extends AstNode {
  readonly kind: 'OperationDefinition';
  /** 'query', 'mutation' or 'subscription'. */
  readonly operation: string;
}

export interface DocumentNode {
  readonly kind: 'Document';
  readonly definitions: readonly AstNode[];
}

export function isDocument(value: unknown): value is DocumentNode {
  return value !== null && typeof value === 'object' && Array.isArray((value as { definitions?: unknown }).definitions);
}

/**
 * The operation `execute` runs, by graphql's own rule: the one named `operationName`, else the only
 * operation of the document. Undefined when there is none to run (graphql then answers with an error).
 */
export function findOperation(document: unknown, operationName: unknown): OperationNode | undefined {
  if (!isDocument(document)) return undefined;
  const named = typeof operationName === 'string';
  let found: OperationNode | undefined;
  for (const definition of document.definitions) {
    if (definition?.kind !== 'OperationDefinition') continue;
    if (named) {
      if (definition.name?.value === operationName) return definition as OperationNode;
    } else {
      if (found !== undefined) return undefined;
      found = definition as OperationNode;
    }
  }
  return found;
}
