/** What compiling one root field needs to know, shared by the compiler's parts. */
import type { FragmentDefinitionNode, GraphQLSchema } from 'graphql';
import { sql } from 'kysely';
import type { TableName } from '../../db/tables.js';
import type { Metadata, TableInfo } from '../metadata.js';
import type { RowBudget } from '../../db/row-budget.js';
import type { SelectionScope } from './selection.js';
import { AliasCounter, column, type Sql } from './sql.js';

export class CompileScope implements SelectionScope {
  readonly aliases = new AliasCounter();
  /** False once an object had to be built with its keys sorted (see `jsonObject`). */
  keepsFieldOrder = true;

  constructor(
    readonly schema: GraphQLSchema,
    readonly metadata: Metadata,
    readonly tenantId: string,
    readonly maxLimit: number,
    readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>,
    readonly variables: Readonly<Record<string, unknown>>,
    /** Set when the statement must charge the rows of its lists (see `db/row-budget.ts`). */
    readonly rowBudget?: RowBudget,
  ) {}

  /**
   * What a list without a `limit` reads: every row, as Hasura does. The operation's admission
   * always gives such a statement a row budget (see `cost.ts`); one row past it is read so that
   * the budget's charge, not the limit, ends an answer that would be too large. A caller that
   * compiles without admission reads at most the maximum `limit`.
   */
  get unlimitedRows(): number {
    return this.rowBudget === undefined ? this.maxLimit : this.rowBudget.rows + 1;
  }

  table(name: TableName): TableInfo {
    const table = this.metadata.get(name);
    if (table === undefined) throw new TypeError(`unknown table ${name}`);
    return table;
  }

  /** Restricts a table access to the caller's tenant: applied to every table the SQL reads. */
  tenantCondition(alias: string): Sql {
    return sql`${column(alias, 'tenant_id')} = ${this.tenantId}::uuid`;
  }
}
