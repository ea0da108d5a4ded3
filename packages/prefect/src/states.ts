/**
 * Prefect 1's state classes (`prefect.engine.state` of Prefect Core 1.4.1): their names as
 * `serialized_state.type` and the `state` columns carry them, their tree and their colours.
 */

/**
 * Every class of the module with its parent, in the module's definition order (the order Prefect
 * Server walks it for `reference_data`). `State` is the root; `_MetaState` is Prefect's private
 * base of the states about a run rather than of it. A class without a colour of its own inherits
 * its parent's.
 */
export const STATE_CLASSES = [
  { name: 'State', parent: null, color: '#696969' },
  { name: 'Pending', parent: 'State', color: '#7ebdff' },
  { name: 'Scheduled', parent: 'Pending', color: '#ffab00' },
  { name: 'Paused', parent: 'Scheduled', color: '#99a8e8' },
  { name: '_MetaState', parent: 'State', color: null },
  { name: 'ClientFailed', parent: '_MetaState', color: '#eb0000' },
  { name: 'Submitted', parent: '_MetaState', color: '#ffdf5d' },
  { name: 'Queued', parent: '_MetaState', color: '#ffea7f' },
  { name: 'Resume', parent: 'Scheduled', color: '#f58c0c' },
  { name: 'Retrying', parent: 'Scheduled', color: '#f66a0a' },
  { name: 'Running', parent: 'State', color: '#3d67ff' },
  { name: 'Cancelling', parent: 'Running', color: '#E8E8E8' },
  { name: 'Finished', parent: 'State', color: '#003ccb' },
  { name: 'Looped', parent: 'Finished', color: '#003ccb' },
  { name: 'Success', parent: 'Finished', color: '#28a745' },
  { name: 'Cached', parent: 'Success', color: '#34d058' },
  { name: 'Mapped', parent: 'Success', color: '#003ccb' },
  { name: 'Cancelled', parent: 'Finished', color: '#bdbdbd' },
  { name: 'Failed', parent: 'Finished', color: '#eb0000' },
  { name: 'TimedOut', parent: 'Failed', color: '#ff4e33' },
  { name: 'TriggerFailed', parent: 'Failed', color: '#ff5131' },
  { name: 'ValidationFailed', parent: 'Failed', color: '#ff5131' },
  { name: 'Skipped', parent: 'Success', color: '#62757f' },
] as const satisfies readonly { readonly name: string; readonly parent: string | null; readonly color: string | null }[];

type StateClassEntry = (typeof STATE_CLASSES)[number];

/** The name of any class of Prefect's state module, the two never serialized included. */
export type StateClassName = StateClassEntry['name'];

/** The type names of the two bases that are never serialized: `State` and Prefect's private `_MetaState`. */
export type BaseStateTypeName = 'State' | '_MetaState';

/** A state type Prefect serializes (`serialized_state.type`, the `state` columns). */
export type StateTypeName = Exclude<StateClassName, BaseStateTypeName>;

type ParentOf<Name extends StateClassName> = Extract<StateClassEntry, { name: Name }>['parent'];

/** The class and its ancestors (`'Failed' | 'Finished' | 'State'` for `Failed`). */
export type StateLineage<Name extends StateClassName> = Name | (ParentOf<Name> extends StateClassName ? StateLineage<ParentOf<Name>> : never);

/** The serializable classes that are `Ancestor` or descend from it (`StateSubtypeName<'Failed'>`: Failed, TimedOut, TriggerFailed, ValidationFailed). */
export type StateSubtypeName<Ancestor extends StateClassName> = {
  [Name in StateTypeName]: Ancestor extends StateLineage<Name> ? Name : never;
}[StateTypeName];

const byName: ReadonlyMap<string, StateClassEntry> = new Map(STATE_CLASSES.map((entry) => [entry.name, entry]));

/** The class and its ancestors, nearest first (Python's method resolution order). */
export function stateLineage(name: StateClassName): StateClassName[] {
  const chain: StateClassName[] = [];
  for (let entry = byName.get(name); entry !== undefined; entry = entry.parent === null ? undefined : byName.get(entry.parent)) chain.push(entry.name);
  return chain;
}

function isSubtype(name: StateClassName, ancestor: StateClassName): boolean {
  return stateLineage(name).includes(ancestor);
}

/** Depth first from `State`, each class's subclasses in definition order: each base before its subclasses. */
function treeOrder(name: StateClassName): StateClassName[] {
  return [name, ...STATE_CLASSES.filter((entry) => entry.parent === name).flatMap((entry) => treeOrder(entry.name))];
}

/**
 * Every state type Prefect serializes, in the order of Prefect's state tree (Pending, Scheduled,
 * Paused, Resume, Retrying, ClientFailed, Submitted, Queued, Running, Cancelling, Finished,
 * Looped, Success, Cached, Mapped, Skipped, Cancelled, Failed, TimedOut, TriggerFailed,
 * ValidationFailed): the order lists, filters and counts show them in.
 */
export const STATE_TYPE_NAMES: readonly StateTypeName[] = Object.freeze(
  treeOrder('State').filter((name): name is StateTypeName => name !== 'State' && name !== '_MetaState'),
);

const serializable: ReadonlySet<string> = new Set(STATE_TYPE_NAMES);

/** True when `name` is a state type Prefect serializes. */
export function isStateTypeName(name: unknown): name is StateTypeName {
  return typeof name === 'string' && serializable.has(name);
}

/**
 * The serializable state types that are `ancestor` or descend from it, in tree order:
 * `stateSubtypes('Finished')` are the types that end a run, `stateSubtypes('Running')` the
 * running ones.
 */
export function stateSubtypes<Ancestor extends StateClassName>(ancestor: Ancestor): readonly StateSubtypeName<Ancestor>[] {
  return STATE_TYPE_NAMES.filter((name) => isSubtype(name, ancestor)) as StateSubtypeName<Ancestor>[];
}

/** True when the state type is `ancestor` or one of its subclasses (`isStateSubtype('Cached', 'Success')`). */
export function isStateSubtype<Ancestor extends StateClassName>(name: string, ancestor: Ancestor): name is StateSubtypeName<Ancestor> {
  return byName.has(name) && isSubtype(name as StateClassName, ancestor);
}

function colorOf(name: StateClassName): string {
  const own = stateLineage(name).map((ancestor) => byName.get(ancestor)?.color);
  return own.find((color) => typeof color === 'string') ?? STATE_CLASSES[0].color;
}

/** Prefect's colour of every state class (`State.color`), inherited where a class sets none, as Prefect's UI shows them. */
export const STATE_COLORS: Readonly<Record<StateClassName, string>> = Object.freeze(
  Object.fromEntries(STATE_CLASSES.map((entry) => [entry.name, colorOf(entry.name)])) as Record<StateClassName, string>,
);

/** The colour of a state name as the `state` column holds it: the base `State` colour for a name Prefect does not have. */
export function stateColor(name: string | null | undefined): string {
  return byName.has(name ?? '') ? STATE_COLORS[name as StateClassName] : STATE_COLORS.State;
}
