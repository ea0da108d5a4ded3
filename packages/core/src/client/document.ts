/**
 * The text and name of an operation as it goes on the wire, worked out once per document: the
 * documents of `@runview/documents` are ASTs, and a request carries their text. The printer is
 * core's own, for the executable part of GraphQL the documents use, so that a browser bundle
 * does not carry graphql-js (parser, validator, executor) just to print a query.
 */
import type { DocumentNode } from 'graphql';

/** What a request sends of a document. */
export interface WireOperation {
  readonly query: string;
  /** The operation's name, e.g. `FlowRunById`, or null for an anonymous operation. */
  readonly operationName: string | null;
}

/** An AST node as the printer reads it: its kind and its fields (graphql-js's shapes). */
interface Node {
  readonly kind: string;
  readonly [field: string]: unknown;
}

function node(value: unknown): Node {
  return value as Node;
}

function nodes(value: unknown): readonly Node[] {
  return Array.isArray(value) ? (value as Node[]) : [];
}

function name(value: unknown): string {
  return String(node(value)['value']);
}

function join(parts: readonly string[], separator: string): string {
  return parts.filter((part) => part !== '').join(separator);
}

function wrap(open: string, inner: string, close: string): string {
  return inner === '' ? '' : `${open}${inner}${close}`;
}

function value(item: Node): string {
  switch (item.kind) {
    case 'Variable':
      return `$${name(item['name'])}`;
    case 'StringValue':
      // A JSON string is a GraphQL string (same escapes); block strings print as plain ones.
      return JSON.stringify(item['value']);
    case 'ListValue':
      return `[${nodes(item['values']).map(value).join(', ')}]`;
    case 'ObjectValue':
      return `{${nodes(item['fields'])
        .map((field) => `${name(field['name'])}: ${value(node(field['value']))}`)
        .join(', ')}}`;
    case 'NullValue':
      return 'null';
    default:
      // IntValue, FloatValue, BooleanValue, EnumValue: their text as written.
      return String(item['value']);
  }
}

function type(item: Node): string {
  if (item.kind === 'NonNullType') return `${type(node(item['type']))}!`;
  if (item.kind === 'ListType') return `[${type(node(item['type']))}]`;
  return name(item['name']);
}

function directives(item: Node): string {
  return join(
    nodes(item['directives']).map((directive) => `@${name(directive['name'])}${args(directive)}`),
    ' ',
  );
}

function args(item: Node): string {
  return wrap(
    '(',
    nodes(item['arguments'])
      .map((argument) => `${name(argument['name'])}: ${value(node(argument['value']))}`)
      .join(', '),
    ')',
  );
}

function selections(item: Node, indent: string): string {
  const set = item['selectionSet'];
  if (set === undefined || set === null) return '';
  const inner = `${indent}  `;
  const lines = nodes(node(set)['selections']).map((selection) => `${inner}${selectionText(selection, inner)}`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

function selectionText(item: Node, indent: string): string {
  switch (item.kind) {
    case 'FragmentSpread':
      return join([`...${name(item['name'])}`, directives(item)], ' ');
    case 'InlineFragment': {
      const condition = item['typeCondition'] ? `on ${name(node(item['typeCondition'])['name'])}` : '';
      return join(['...', condition, directives(item), selections(item, indent)], ' ');
    }
    default: {
      const alias = item['alias'] ? `${name(item['alias'])}: ` : '';
      return join([`${alias}${name(item['name'])}${args(item)}`, directives(item), selections(item, indent)], ' ');
    }
  }
}

function variableDefinitions(item: Node): string {
  return wrap(
    '(',
    nodes(item['variableDefinitions'])
      .map((variable) => {
        const fallback = variable['defaultValue'] ? ` = ${value(node(variable['defaultValue']))}` : '';
        return join([`$${name(node(variable['variable'])['name'])}: ${type(node(variable['type']))}${fallback}`, directives(variable)], ' ');
      })
      .join(', '),
    ')',
  );
}

function definition(item: Node): string {
  if (item.kind === 'FragmentDefinition') {
    return join([`fragment ${name(item['name'])} on ${name(node(item['typeCondition'])['name'])}`, directives(item), selections(item, '')], ' ');
  }
  const operationName = item['name'] ? name(item['name']) : '';
  const head = `${join([String(item['operation']), operationName], ' ')}${variableDefinitions(item)}`;
  return join([head, directives(item), selections(item, '')], ' ');
}

/** Prints an executable document (operations and fragments) as GraphQL text. */
export function printDocument(document: DocumentNode): string {
  return nodes(document.definitions).map(definition).join('\n\n');
}

const printed = new WeakMap<DocumentNode, WireOperation>();

/** The document's text and operation name (cached: a document is printed once per process). */
export function wireOperation(document: DocumentNode): WireOperation {
  let operation = printed.get(document);
  if (operation === undefined) {
    const operationNode = nodes(document.definitions).find((item) => item.kind === 'OperationDefinition');
    operation = Object.freeze({ query: printDocument(document), operationName: operationNode?.['name'] ? name(operationNode['name']) : null });
    printed.set(document, operation);
  }
  return operation;
}
