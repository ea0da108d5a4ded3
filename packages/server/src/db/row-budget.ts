/**
 * The row budget of a statement: when the limits of an operation's lists multiply past what
 * the server answers (`maxRows`), nothing static tells whether the data is that large (the
 * Prefect UI's flow-run schematic lists every task run with every edge of its task: millions
 * by the limits, a few hundred in fact). Such a statement charges the rows of every list it
 * builds to a budget, and the database stops it with an error as soon as the budget is spent,
 * on PGlite as on PostgreSQL, long before the answer could exhaust memory or time.
 *
 * The charge is a function created with the tables (`migrate.ts`); its state lives in a
 * transaction-local setting, keyed by the statement, so it starts at zero for each statement.
 */

/** The SQL function `runview_charge_rows(statement_key text, budget bigint, row_count bigint) returns boolean`. */
export const ROW_BUDGET_FUNCTION = 'runview_charge_rows';

/** SQLSTATE and hint of the error the function raises past the budget. */
export const ROW_BUDGET_SQLSTATE = '54000';
export const ROW_BUDGET_HINT = 'runview-row-budget';

/** The statement creating (or updating) the function. */
export const ROW_BUDGET_FUNCTION_SQL = `create or replace function ${ROW_BUDGET_FUNCTION}(statement_key text, budget bigint, row_count bigint) returns boolean
language plpgsql volatile as $$
declare
  state text := current_setting('runview.row_charge', true);
  used bigint := 0;
begin
  if state is not null and split_part(state, ':', 1) = statement_key then
    used := split_part(state, ':', 2)::bigint;
  end if;
  used := used + row_count;
  if used > budget then
    raise exception 'the answer would hold more than % rows', budget using errcode = '${ROW_BUDGET_SQLSTATE}', hint = '${ROW_BUDGET_HINT}';
  end if;
  perform set_config('runview.row_charge', statement_key || ':' || used, true);
  return true;
end
$$`;

/** The budget one statement compiles against. */
export interface RowBudget {
  /** Unique per compiled statement. */
  readonly key: string;
  readonly rows: number;
}

let statements = 0;
const processKey = Math.random().toString(36).slice(2, 10);

/** A budget of `rows` under a key no other statement of this process uses. */
export function rowBudget(rows: number): RowBudget {
  statements += 1;
  return { key: `${processKey}.${String(statements)}`, rows };
}

/** Whether a database error is the budget running out. */
export function isRowBudgetError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, hint } = error as { code?: unknown; hint?: unknown };
  return code === ROW_BUDGET_SQLSTATE && hint === ROW_BUDGET_HINT;
}
