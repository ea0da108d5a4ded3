import type { JsonValue } from '@runview/documents';

/** A JSON document (parameters, context, run config) as a person reads it. */
export function JsonView({ value, empty = 'None' }: { readonly value: JsonValue | null | undefined; readonly empty?: string }) {
  if (value == null || (typeof value === 'object' && Object.keys(value).length === 0)) {
    return <p className="muted">{empty}</p>;
  }
  return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
}

/** Labels are a JSON array of strings on the wire; anything else is shown as it came. */
export function Labels({ labels }: { readonly labels: JsonValue | null | undefined }) {
  const list = Array.isArray(labels) ? labels.map((label) => (typeof label === 'string' ? label : JSON.stringify(label))) : [];
  if (list.length === 0) return <span className="muted">No labels</span>;
  return (
    <ul className="labels" aria-label="Labels">
      {list.map((label) => (
        <li key={label} className="label">
          {label}
        </li>
      ))}
    </ul>
  );
}
