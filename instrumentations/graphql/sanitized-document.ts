// graphql.document with every literal removed. The conventions (registry, graphql.document): "If
// instrumentation can reliably identify and redact sensitive information it SHOULD do it." On a parsed
// document that is reliable: the values a client writes into a document are the value nodes, so
// each Int, Float, String, Boolean and Enum value becomes `?` (the conventions' own example:
// `query findBookById { bookById(id: ?) { name } }`), a list without variables becomes one `?` (its
// length is data too), input objects keep their field names (they come from the schema), variables
// stay as written (`$id`: their values travel apart, in `variables`), and `null` stays (it is no
// value, as in our SQL rule). Descriptions and comments are not printed at all.
//
// The text is printed from the AST on one line, bounded to GRAPHQL_DOCUMENT_MAX characters (printing
// stops there), and cached per document object: servers that cache parsed documents (Apollo, Yoga)
// print each one once.

import type { AstNode, DocumentNode } from './ast.js';

export const GRAPHQL_DOCUMENT_MAX = 4096;

const printed = new WeakMap<DocumentNode, string>();

/** The sanitized text of a parsed document, at most GRAPHQL_DOCUMENT_MAX characters. */
export function sanitizedDocument(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = printDocument(document);
    printed.set(document, text);
  }
  return text;
}

// Loose shapes of the nodes printed below; absent parts are skipped rather than trusted.
interface Node extends AstNode {
  readonly [key: string]: any;
}

class Printer {
  text = '';

  get full(): boolean {
    return this.text.length > GRAPHQL_DOCUMENT_MAX;
  }

  write(part: string): void {
    this.text += part;
  }
}

function printDocument(document: DocumentNode): string {
  const out = new Printer();
  for (const definition of document.definitions as readonly Node[]) {
    if (out.full) break;
    const kind = definition?.kind;
    if (kind !== 'OperationDefinition' && kind !== 'FragmentDefinition') continue;
    if (out.text !== '') out.write(' ');
    if (kind === 'OperationDefinition') printOperation(out, definition);
    else printFragmentDefinition(out, definition);
  }
  const text = out.text;
  return text.length > GRAPHQL_DOCUMENT_MAX ? `${text.slice(0, GRAPHQL_DOCUMENT_MAX - 2)} …` : text;
}

function hasItems(list: unknown): list is readonly Node[] {
  return Array.isArray(list) && list.length > 0;
}

function printOperation(out: Printer, node: Node): void {
  const name: string | undefined = node.name?.value;
  // The query shorthand `{ ... }`, as graphql's own printer writes an anonymous plain query.
  const shorthand = node.operation === 'query' && name === undefined && !hasItems(node.variableDefinitions) && !hasItems(node.directives);
  if (!shorthand) {
    out.write(String(node.operation));
    if (name !== undefined) out.write(` ${name}`);
    printVariableDefinitions(out, node.variableDefinitions);
    printDirectives(out, node.directives);
    out.write(' ');
  }
  printSelectionSet(out, node.selectionSet);
}

function printFragmentDefinition(out: Printer, node: Node): void {
  out.write(`fragment ${String(node.name?.value)}`);
  printVariableDefinitions(out, node.variableDefinitions);
  out.write(` on ${String(node.typeCondition?.name?.value)}`);
  printDirectives(out, node.directives);
  out.write(' ');
  printSelectionSet(out, node.selectionSet);
}

function printVariableDefinitions(out: Printer, definitions: unknown): void {
  if (!hasItems(definitions)) return;
  out.write('(');
  for (let i = 0; i < definitions.length; i++) {
    const definition = definitions[i]!;
    if (i > 0) out.write(', ');
    out.write(`$${String(definition.variable?.name?.value)}: `);
    printType(out, definition.type);
    if (definition.defaultValue != null) {
      out.write(' = ');
      printValue(out, definition.defaultValue);
    }
    printDirectives(out, definition.directives);
  }
  out.write(')');
}

function printType(out: Printer, type: Node | undefined): void {
  switch (type?.kind) {
    case 'NonNullType':
      printType(out, type.type);
      out.write('!');
      return;
    case 'ListType':
      out.write('[');
      printType(out, type.type);
      out.write(']');
      return;
    default:
      out.write(String(type?.name?.value));
  }
}

function printSelectionSet(out: Printer, selectionSet: Node | undefined): void {
  const selections: unknown = selectionSet?.selections;
  if (!hasItems(selections)) return;
  out.write('{');
  for (const selection of selections) {
    if (out.full) return;
    out.write(' ');
    printSelection(out, selection);
  }
  out.write(' }');
}

function printSelection(out: Printer, node: Node): void {
  switch (node.kind) {
    case 'Field':
      if (node.alias != null) out.write(`${String(node.alias.value)}: `);
      out.write(String(node.name?.value));
      printArguments(out, node.arguments);
      printDirectives(out, node.directives);
      if (node.selectionSet != null) {
        out.write(' ');
        printSelectionSet(out, node.selectionSet);
      }
      return;
    case 'FragmentSpread':
      out.write(`...${String(node.name?.value)}`);
      // graphql 17's experimental fragment arguments.
      printArguments(out, node.arguments);
      printDirectives(out, node.directives);
      return;
    case 'InlineFragment':
      out.write('...');
      if (node.typeCondition != null) out.write(` on ${String(node.typeCondition.name?.value)}`);
      printDirectives(out, node.directives);
      out.write(' ');
      printSelectionSet(out, node.selectionSet);
      return;
    default:
  }
}

function printDirectives(out: Printer, directives: unknown): void {
  if (!hasItems(directives)) return;
  for (const directive of directives) {
    out.write(` @${String(directive.name?.value)}`);
    printArguments(out, directive.arguments);
  }
}

/** Arguments and graphql 17's fragment arguments alike: `(name: value, ...)`. */
function printArguments(out: Printer, args: unknown): void {
  if (!hasItems(args)) return;
  out.write('(');
  for (let i = 0; i < args.length; i++) {
    const argument = args[i]!;
    if (i > 0) out.write(', ');
    out.write(`${String(argument.name?.value)}: `);
    printValue(out, argument.value);
  }
  out.write(')');
}

function printValue(out: Printer, value: Node | undefined): void {
  switch (value?.kind) {
    case 'Variable':
      out.write(`$${String(value.name?.value)}`);
      return;
    case 'NullValue':
      out.write('null');
      return;
    case 'ListValue':
      if (!containsVariable(value)) {
        out.write('?');
        return;
      }
      out.write('[');
      for (let i = 0; i < value.values.length; i++) {
        if (i > 0) out.write(', ');
        printValue(out, value.values[i]);
      }
      out.write(']');
      return;
    case 'ObjectValue': {
      const fields: unknown = value.fields;
      out.write('{');
      if (hasItems(fields)) {
        for (let i = 0; i < fields.length; i++) {
          const field = fields[i]!;
          out.write(`${i > 0 ? ', ' : ''}${String(field.name?.value)}: `);
          printValue(out, field.value);
        }
      }
      out.write('}');
      return;
    }
    default:
      // Int, Float, String (block strings too), Boolean and Enum values, and anything unknown.
      out.write('?');
  }
}

function containsVariable(value: Node | undefined): boolean {
  switch (value?.kind) {
    case 'Variable':
      return true;
    case 'ListValue':
      if (Array.isArray(value.values)) for (const item of value.values) if (containsVariable(item)) return true;
      return false;
    case 'ObjectValue':
      if (Array.isArray(value.fields)) for (const field of value.fields) if (containsVariable(field?.value)) return true;
      return false;
    default:
      return false;
  }
}
