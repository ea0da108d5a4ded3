/**
 * Replaying what Prefect Core 1.4.1 sent, as it sent it: the recorded request bodies
 * (`prefect-core-1.4.1-requests.jsonl`) and the success-path call sequences of its agent and
 * runners (`prefect-core-1.4.1-sequences.jsonl`), with the ids of the recording swapped for the
 * ids this server gave the same objects, and the answers checked against what Prefect reads.
 */
import { readFileSync } from 'node:fs';
import { Kind, parse, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { expect } from 'vitest';
import type { RunviewServer } from '../../src/index.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);

/** One step of a recorded sequence: the request as Prefect rendered it and the answer it was given. */
export interface SequenceStep {
  readonly sequence: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly json_body: { readonly query: string; readonly variables: string };
  readonly root_field: string;
  readonly answer_given: { readonly data: Record<string, unknown> };
}

/** One request body exactly as Prefect sent it on the wire. */
export interface RecordedRequest {
  readonly n: number;
  readonly sent_by: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

function readJsonLines<T>(name: string): T[] {
  return readFileSync(new URL(name, FIXTURES), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

export function loadSequence(name: string): SequenceStep[] {
  const steps = readJsonLines<SequenceStep>('prefect-core-1.4.1-sequences.jsonl').filter((step) => step.sequence === name);
  if (steps.length === 0) throw new TypeError(`no sequence ${name} in the fixtures`);
  return steps;
}

/** The recorded requests numbered `from` to `to` (inclusive), in the order they were sent. */
export function loadRequests(from: number, to: number): RecordedRequest[] {
  return readJsonLines<RecordedRequest>('prefect-core-1.4.1-requests.jsonl').filter((request) => request.n >= from && request.n <= to);
}

/**
 * A body as Python's `requests` serialises `json={"query": ..., "variables": ...}`: `json.dumps`
 * with its default `, ` and `: ` separators and every non-ASCII character escaped.
 */
export function pythonJsonBody(body: { readonly query: string; readonly variables: string }): string {
  const ascii = (text: string): string => JSON.stringify(text).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `{"query": ${ascii(body.query)}, "variables": ${ascii(body.variables)}}`;
}

/** Ids of the recording mapped to the ids this server gave the same objects. */
export class IdMap {
  readonly #ids = new Map<string, string>();

  set(recorded: string, ours: string): void {
    const known = this.#ids.get(recorded);
    if (known !== undefined && known !== ours) throw new TypeError(`${recorded} is already mapped to ${known}, not ${ours}`);
    this.#ids.set(recorded, ours);
  }

  get(recorded: string): string {
    const ours = this.#ids.get(recorded);
    if (ours === undefined) throw new TypeError(`no id mapped for ${recorded}`);
    return ours;
  }

  /** The text with every recorded id replaced by ours. */
  apply(text: string): string {
    let result = text;
    for (const [recorded, ours] of this.#ids) result = result.split(recorded).join(ours);
    return result;
  }

  /** A JSON value with every recorded id replaced by ours. */
  applyJson<T>(value: T): T {
    return JSON.parse(this.apply(JSON.stringify(value))) as T;
  }
}

export interface WireAnswer {
  readonly status: number;
  readonly body: { readonly data?: Record<string, unknown> | null; readonly errors?: readonly { message: string; extensions?: { code?: string } }[] };
}

/** POSTs a body as is to `path` with Prefect's headers, through the server's in-process fetch. */
export async function postWire(server: RunviewServer, path: string, headers: Readonly<Record<string, string>>, body: string): Promise<WireAnswer> {
  const sent = new Headers({ 'user-agent': 'python-requests/2.28.1', accept: '*/*', 'content-type': 'application/json' });
  for (const [name, value] of Object.entries(headers)) sent.set(name, value);
  const response = await server.fetch(new Request(new URL(path, 'http://runview.test'), { method: 'POST', headers: sent, body }));
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as WireAnswer['body'] };
}

/** The path of a sequence step's URL (`http://host:4200` is `/`). */
export function pathOf(url: string): string {
  return new URL(url).pathname;
}

function operationOf(query: string): OperationDefinitionNode {
  const definition = parse(query).definitions.find((node) => node.kind === Kind.OPERATION_DEFINITION);
  if (definition?.kind !== Kind.OPERATION_DEFINITION) throw new TypeError('the recorded body has no operation');
  return definition;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function checkSelection(selectionSet: SelectionSetNode, ours: unknown, given: unknown, path: string): void {
  expect(kindOf(ours), `${path} is an object`).toBe('object');
  const object = ours as Record<string, unknown>;
  const givenObject = (given ?? {}) as Record<string, unknown>;
  for (const selection of selectionSet.selections) {
    const field = selection as FieldNode;
    const key = field.alias?.value ?? field.name.value;
    expect(object, `${path}.${key} is in the answer`).toHaveProperty([key]);
    checkValue(field, object[key], givenObject[key], `${path}.${key}`);
  }
}

function checkValue(field: FieldNode, ours: unknown, given: unknown, path: string): void {
  if (given === null || given === undefined) return;
  expect(kindOf(ours), `${path} has the kind Prefect was given`).toBe(kindOf(given));
  if (field.selectionSet === undefined) return;
  const selectionSet = field.selectionSet;
  if (Array.isArray(given)) {
    const [sample] = given as unknown[];
    (ours as unknown[]).forEach((item, index) => {
      checkSelection(selectionSet, item, sample, `${path}[${String(index)}]`);
    });
  } else {
    checkSelection(selectionSet, ours, given, path);
  }
}

/**
 * Checks an answer against the one Prefect's code was given in the recording: every field the
 * document selects is present (Prefect reads fields by attribute, a missing one raises), and
 * every value has the kind Prefect got (a string stays a string, a list a list).
 */
export function expectAnswerShape(query: string, ours: unknown, given: unknown): void {
  checkSelection(operationOf(query).selectionSet, ours, given, 'data');
}
