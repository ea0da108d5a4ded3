import { useQuery } from '@apollo/client/react';
import { FlowFilterOptionsDocument } from '@runview/documents';
import { useMemo } from 'react';

interface FlowOption {
  readonly flowGroupId: string;
  readonly label: string;
}

/** The flows to filter by, one entry per flow group (all versions of a flow). */
export function FlowSelect({
  id,
  value,
  onChange,
}: {
  readonly id: string;
  readonly value: string | undefined;
  readonly onChange: (value: string | undefined) => void;
}) {
  const { data, error } = useQuery(FlowFilterOptionsDocument);
  const options = useMemo<FlowOption[]>(() => {
    const seen = new Map<string, FlowOption>();
    // Newest version first within a name, so a group is labelled by its current flow.
    for (const flow of data?.flow ?? []) {
      if (!seen.has(flow.flow_group_id)) {
        seen.set(flow.flow_group_id, { flowGroupId: flow.flow_group_id, label: `${flow.name} · ${flow.project.name}` });
      }
    }
    return [...seen.values()];
  }, [data]);
  return (
    <select
      id={id}
      className="input"
      value={value ?? ''}
      onChange={(event) => {
        onChange(event.target.value === '' ? undefined : event.target.value);
      }}
    >
      <option value="">{error ? 'Any flow (list unavailable)' : 'Any flow'}</option>
      {value !== undefined && !options.some((option) => option.flowGroupId === value) && <option value={value}>Selected flow</option>}
      {options.map((option) => (
        <option key={option.flowGroupId} value={option.flowGroupId}>
          {option.label}
        </option>
      ))}
    </select>
  );
}
