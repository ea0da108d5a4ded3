/**
 * `FlowView`: the metadata the backend stores about a flow at registration time, as Prefect
 * Core's `prefect.backend.FlowView` reads it. An immutable snapshot.
 */
import { FlowByGroupIdDocument, FlowByIdDocument, FlowsByNameDocument, type Flow_Bool_Exp, type JsonObject } from '@runview/documents';
import * as z from 'zod/mini';
import { requireNonEmpty, requireUuid } from '../arguments.js';
import { AmbiguousError, NotFoundError } from '../errors.js';
import { frozenCopy } from '../json.js';
import { flowFromWire, type FlowData } from '../maps/models.js';
import { flowWire, parseWire } from '../maps/wire.js';
import { jsonObject, parseInput, timestampString, uuidString } from '../schemas.js';
import { parseTimestamp } from '../time.js';
import { callOf, clientOf, inspectCustom, reprValue, type ViewOptions } from './common.js';

/** Options of {@link FlowView.fromFlowName}. */
export interface FromFlowNameOptions extends ViewOptions {
  /** Only flows of this project; `null` asks for flows without a project, as Prefect does. */
  readonly projectName?: string | null | undefined;
  /** With several matches, take the newest created instead of failing. */
  readonly lastUpdated?: boolean | undefined;
}

/** A `FlowView` as JSON (`toJSON()`). */
export interface FlowViewJson {
  readonly flowId: string;
  readonly name: string;
  readonly version: number | null;
  readonly projectId: string;
  readonly projectName: string;
  readonly coreVersion: string | null;
  readonly storage: JsonObject | null;
  readonly storageType: string | null;
  readonly runConfig: JsonObject | null;
  readonly settings: JsonObject;
  readonly archived: boolean;
  readonly flowGroupId: string;
  readonly flowGroupLabels: readonly string[];
  readonly serializedFlow: JsonObject | null;
  readonly created: string;
}

const flowRows = z.array(flowWire);

/** A flow's metadata. Build one with the static `from…` methods. */
export class FlowView {
  readonly flowId: string;
  readonly name: string;
  /** The flow's version within its group, or null. */
  readonly version: number | null;
  readonly projectId: string;
  readonly projectName: string;
  /** The Prefect Core version that registered the flow. */
  readonly coreVersion: string | null;
  /** The serialized storage (`{"type": "Module", "module": ...}`), or null. */
  readonly storage: Readonly<JsonObject> | null;
  /** The storage class name (`Module`, `Docker`, `S3`...), or null. */
  readonly storageType: string | null;
  readonly runConfig: Readonly<JsonObject> | null;
  readonly settings: Readonly<JsonObject>;
  readonly archived: boolean;
  readonly flowGroupId: string;
  /** The flow group's labels (agents with these labels run its flow runs). */
  readonly flowGroupLabels: readonly string[];
  readonly serializedFlow: Readonly<JsonObject> | null;
  readonly #data: FlowData;

  /** @internal Views are built by the static methods. */
  constructor(data: FlowData) {
    this.#data = data;
    this.flowId = data.flowId;
    this.name = data.name;
    this.version = data.version;
    this.projectId = data.projectId;
    this.projectName = data.projectName;
    this.coreVersion = data.coreVersion;
    this.storage = data.storage;
    const type = data.storage?.['type'];
    this.storageType = typeof type === 'string' ? type : null;
    this.runConfig = data.runConfig;
    this.settings = data.settings;
    this.archived = data.archived;
    this.flowGroupId = data.flowGroupId;
    this.flowGroupLabels = data.flowGroupLabels;
    this.serializedFlow = data.serializedFlow;
    Object.freeze(this);
  }

  /** When the flow was registered. */
  get createdAt(): Date {
    return new Date(this.#data.created.date);
  }

  /**
   * The flow with this id.
   *
   * @throws {@link NotFoundError} when there is none; {@link InvalidArgumentError} for a malformed id.
   */
  static async fromFlowId(flowId: string, options: ViewOptions = {}): Promise<FlowView> {
    const id = requireUuid(flowId, 'flowId');
    const data = await clientOf(options).query(FlowByIdDocument, { id }, callOf(options));
    const row = parseWire(z.nullable(flowWire), data.flow_by_pk, 'FlowById');
    if (row === null) throw new NotFoundError('flow', { flowId: id });
    return new FlowView(flowFromWire(row));
  }

  /**
   * The newest flow (by creation) of a flow group: the group's current version.
   *
   * @throws {@link NotFoundError} when the group has no flow.
   */
  static async fromFlowGroupId(flowGroupId: string, options: ViewOptions = {}): Promise<FlowView> {
    const id = requireUuid(flowGroupId, 'flowGroupId');
    const data = await clientOf(options).query(FlowByGroupIdDocument, { flowGroupId: id }, callOf(options));
    const [row] = parseWire(flowRows, data.flow, 'FlowByGroupId');
    if (!row) throw new NotFoundError('flow group', { flowGroupId: id });
    return new FlowView(flowFromWire(row));
  }

  /**
   * A flow by flow id, or else by flow group id, as Prefect's `FlowView.from_id`.
   *
   * @throws {@link NotFoundError} when the id is neither.
   */
  static async fromId(id: string, options: ViewOptions = {}): Promise<FlowView> {
    const checked = requireUuid(id, 'id');
    try {
      return await FlowView.fromFlowId(checked, options);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    try {
      return await FlowView.fromFlowGroupId(checked, options);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      throw new NotFoundError('flow or flow group', { id: checked }, `Given id '${checked}' is not an existing flow or flow group id.`);
    }
  }

  /**
   * A flow by name, with Prefect's rules: archived versions are excluded, the newest created
   * comes first, and several matches are an error unless `lastUpdated` is set.
   *
   * @throws {@link AmbiguousError} listing the matches; {@link NotFoundError}.
   */
  static async fromFlowName(flowName: string, options: FromFlowNameOptions = {}): Promise<FlowView> {
    const name = requireNonEmpty(flowName, 'flowName');
    const filter: Flow_Bool_Exp = {};
    if (options.projectName === null) filter.project = { name: { _is_null: true } };
    else if (options.projectName !== undefined && options.projectName !== '') filter.project = { name: { _eq: options.projectName } };
    const data = await clientOf(options).query(FlowsByNameDocument, { name, filter, limit: options.lastUpdated ? 1 : 10 }, callOf(options));
    const rows = parseWire(flowRows, data.flow, 'FlowsByName');
    const lookup = { flowName: name, ...(options.projectName === undefined ? {} : { projectName: options.projectName }) };
    const [first] = rows;
    if (!first) throw new NotFoundError('flow', lookup);
    if (rows.length > 1 && !options.lastUpdated) {
      throw new AmbiguousError(
        'flow',
        lookup,
        rows.map((row) => ({ id: row.id, name: row.name, detail: `project ${row.project.name}, created ${row.created}` })),
        'Provide a `projectName` to narrow the search, or set `lastUpdated` to take the newest.',
      );
    }
    return new FlowView(flowFromWire(first));
  }

  /** Restores a view from its `toJSON()` form, without a request. */
  static fromJSON(json: unknown): FlowView {
    const value = parseInput(flowJsonSchema, json, 'json', 'a FlowView JSON');
    return new FlowView(
      Object.freeze({
        ...value,
        storage: value.storage === null ? null : frozenCopy(value.storage),
        runConfig: value.runConfig === null ? null : frozenCopy(value.runConfig),
        settings: frozenCopy(value.settings),
        serializedFlow: value.serializedFlow === null ? null : frozenCopy(value.serializedFlow),
        flowGroupLabels: Object.freeze([...value.flowGroupLabels]),
        created: parseTimestamp(value.created, 'created'),
      }),
    );
  }

  toJSON(): FlowViewJson {
    return {
      flowId: this.flowId,
      name: this.name,
      version: this.version,
      projectId: this.projectId,
      projectName: this.projectName,
      coreVersion: this.coreVersion,
      storage: this.storage,
      storageType: this.storageType,
      runConfig: this.runConfig,
      settings: this.settings,
      archived: this.archived,
      flowGroupId: this.flowGroupId,
      flowGroupLabels: this.flowGroupLabels,
      serializedFlow: this.serializedFlow,
      created: this.#data.created.raw,
    };
  }

  /** `FlowView(flowId='8bdc…', name='hello-world', projectName='default', storageType=Module)`. */
  toString(): string {
    return `FlowView(flowId=${reprValue(this.flowId)}, name=${reprValue(this.name)}, projectName=${reprValue(this.projectName)}, storageType=${this.storageType ?? 'None'})`;
  }

  [inspectCustom](): string {
    return this.toString();
  }
}

const flowJsonSchema = z.object({
  flowId: uuidString,
  name: z.string(),
  version: z.nullable(z.int()),
  projectId: z.string(),
  projectName: z.string(),
  coreVersion: z.nullable(z.string()),
  storage: z.nullable(jsonObject),
  runConfig: z.nullable(jsonObject),
  settings: jsonObject,
  archived: z.boolean(),
  flowGroupId: z.string(),
  flowGroupLabels: z.array(z.string()),
  serializedFlow: z.nullable(jsonObject),
  created: timestampString,
});
