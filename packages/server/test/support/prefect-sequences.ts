/**
 * Prefect Core 1.4.1's success-path call sequences (rendered by Prefect's own code against a
 * scripted transport), replayed on the wire. A recorded body is re-encoded byte for byte as
 * `requests` sent it; the ids the script invented (tenant, project, flow) are replaced by the
 * ones this server answered with, learnt from its answers as the sequence goes.
 */
import { readFileSync } from 'node:fs';

export interface SequenceStep {
  readonly sequence: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly json_body: { readonly query: string; readonly variables: string };
  readonly root_field: string;
  /** What the script answered: its ids are the ones to map, its values are not Prefect Server's. */
  readonly answer_given: unknown;
}

export function prefectSequence(name: string): SequenceStep[] {
  const text = readFileSync(new URL('../fixtures/prefect-core-1.4.1-sequences.jsonl', import.meta.url), 'utf8');
  const steps = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SequenceStep)
    .filter((step) => step.sequence === name);
  if (steps.length === 0) throw new TypeError(`no sequence ${name} in the fixtures`);
  return steps;
}

/** JSON text as Python's `json.dumps` writes a string: `ensure_ascii` escapes every non-ASCII character. */
function pythonString(value: string): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The body `requests.post(json={"query": ..., "variables": ...})` puts on the wire. */
export function requestsBody(body: SequenceStep['json_body']): string {
  return `{"query": ${pythonString(body.query)}, "variables": ${pythonString(body.variables)}}`;
}

/** The path a recorded URL posts to (Prefect's default endpoint has none: `/`). */
export function pathOf(url: string): string {
  return new URL(url).pathname;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Scripted ids to real ones, learnt by walking a scripted answer beside the real one. */
export class IdMap {
  readonly #ids = new Map<string, string>();

  constructor(initial: Readonly<Record<string, string>> = {}) {
    for (const [scripted, real] of Object.entries(initial)) this.#ids.set(scripted, real);
  }

  set(scripted: string, real: string): void {
    this.#ids.set(scripted, real);
  }

  /** The real id of a scripted one (the id itself when none was learnt). */
  get(scripted: string): string {
    return this.#ids.get(scripted) ?? scripted;
  }

  /** A body text with every known scripted id replaced; nothing else changes. */
  apply(text: string): string {
    let out = text;
    for (const [scripted, real] of this.#ids) out = out.split(scripted).join(real);
    return out;
  }

  /** Learns the ids the real answer gives where the scripted answer had its own. */
  learn(scripted: unknown, real: unknown): void {
    if (typeof scripted === 'string' && typeof real === 'string') {
      if (UUID.test(scripted) && UUID.test(real) && scripted !== real) this.#ids.set(scripted, real);
      return;
    }
    if (Array.isArray(scripted) && Array.isArray(real)) {
      scripted.forEach((item, index) => {
        this.learn(item, real[index]);
      });
      return;
    }
    if (isRecord(scripted) && isRecord(real)) {
      for (const key of Object.keys(real)) this.learn(scripted[key], real[key]);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
