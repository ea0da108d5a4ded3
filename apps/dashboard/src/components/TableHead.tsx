/** A column of a data table: its heading, and whether it holds numbers (right-aligned). */
export interface Column {
  readonly label: string;
  readonly numeric?: boolean;
  /** Read by assistive technology only, e.g. a column of buttons. */
  readonly hidden?: boolean;
}

/** The header row of a data table, with column scopes for assistive technology. */
export function TableHead({ columns }: { readonly columns: readonly Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column.label} scope="col" className={column.numeric ? 'num' : undefined}>
            {column.hidden ? <span className="visually-hidden">{column.label}</span> : column.label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
