/**
 * The shapes of Prefect Core 1.4.1's requests, learned from the recordings: per root field, its
 * documents (anonymous, literals blanked, selections in any order, since Prefect renders sets in
 * hash order) and the key paths of its variables. A request whose document and variable keys
 * are among the recorded ones is one Prefect's own code could have sent.
 */
import { Kind, parse, print, visit, type DocumentNode } from 'graphql';
import { loadRequests, loadSequence, type SequenceStep } from './prefect-wire.js';

/** One request as it went over the wire. */
export interface WireRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: string;
  readonly variables: unknown;
}

function byName(a: { name: { value: string } }, b: { name: { value: string } }): number {
  return a.name.value.localeCompare(b.name.value);
}

/** A document with its operation name dropped, literals blanked and every list of fields sorted. */
export function documentShape(query: string): string {
  const document: DocumentNode = parse(query);
  const shaped: DocumentNode = visit(document, {
    OperationDefinition: (node) => ({ ...node, name: undefined }),
    StringValue: (node) => ({ ...node, value: '', block: false }),
    IntValue: (node) => ({ ...node, value: '0' }),
    SelectionSet: {
      leave: (node) => ({ ...node, selections: [...node.selections].sort((a, b) => (a.kind === Kind.FIELD && b.kind === Kind.FIELD ? byName(a, b) : 0)) }),
    },
    Field: { leave: (node) => ({ ...node, arguments: [...(node.arguments ?? [])].sort(byName) }) },
    ObjectValue: { leave: (node) => ({ ...node, fields: [...node.fields].sort(byName) }) },
  });
  return print(shaped);
}

/** The root field a document asks for. */
export function rootFieldOf(query: string): string {
  const operation = parse(query).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const [first] = operation?.kind === Kind.OPERATION_DEFINITION ? operation.selectionSet.selections : [];
  return first?.kind === Kind.FIELD ? first.name.value : '';
}

/** Every key path of a JSON value (`input.states[].state.type`); list items share one path. */
export function keyPaths(value: unknown, prefix = '', into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) keyPaths(item, `${prefix}[]`, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, field] of Object.entries(value)) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      into.add(path);
      keyPaths(field, path, into);
    }
  }
  return into;
}

export interface PrefectShapes {
  /** Per root field, the document shapes Prefect sent. */
  readonly documents: ReadonlyMap<string, ReadonlySet<string>>;
  /** Per root field, every variable key path Prefect sent. */
  readonly variables: ReadonlyMap<string, ReadonlySet<string>>;
}

const SEQUENCES = ['agent', 'flow_runner', 'flow_runner_fail', 'cli_register', 'client_register', 'client_methods'];

/** The shapes of every recorded request (the sequences and the 436 recorded bodies). */
export function prefectShapes(): PrefectShapes {
  const documents = new Map<string, Set<string>>();
  const variables = new Map<string, Set<string>>();
  const add = (query: string, variablesText: string): void => {
    const field = rootFieldOf(query);
    if (field === '') return;
    const shapes = documents.get(field) ?? new Set<string>();
    shapes.add(documentShape(query));
    documents.set(field, shapes);
    const paths = variables.get(field) ?? new Set<string>();
    keyPaths(JSON.parse(variablesText) as unknown, '', paths);
    variables.set(field, paths);
  };
  const steps: SequenceStep[] = SEQUENCES.flatMap((name) => loadSequence(name));
  for (const step of steps) add(step.json_body.query, step.json_body.variables);
  for (const request of loadRequests(0, Number.MAX_SAFE_INTEGER)) {
    const body = JSON.parse(request.body) as { query?: unknown; variables?: unknown };
    if (typeof body.query === 'string' && typeof body.variables === 'string') add(body.query, body.variables);
  }
  return { documents, variables };
}

/** UTC text with its microseconds written out, however many digits it came with (the server trims zeros). */
export function exactMicros(timestamp: unknown): string {
  const match = /^(.+:\d\d)(?:\.(\d+))?\+00:00$/.exec(String(timestamp));
  return match === null ? String(timestamp) : `${match[1] ?? ''}.${(match[2] ?? '').padEnd(6, '0')}`;
}
