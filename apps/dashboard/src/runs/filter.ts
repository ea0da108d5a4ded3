import type { Flow_Run_Bool_Exp } from '@runview/documents';

/** What the runs table is narrowed to, as the URL carries it. */
export interface RunsCriteria {
  readonly state: string | undefined;
  /** A flow group: every version of one flow. */
  readonly flowGroupId: string | undefined;
}

/** The `where` of the runs query; absent criteria are left out, never sent as null. */
export function flowRunFilter({ state, flowGroupId }: RunsCriteria): Flow_Run_Bool_Exp {
  const filter: Flow_Run_Bool_Exp = {};
  if (state !== undefined) filter.state = { _eq: state };
  if (flowGroupId !== undefined) filter.flow = { flow_group_id: { _eq: flowGroupId } };
  return filter;
}
