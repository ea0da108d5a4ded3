import type { GraphQLSchema } from 'graphql';
import { analyseSchema } from './report.js';

/** One way a target schema fails the operations this client ships. */
export interface DriftProblem {
  /** `error`: a request would be rejected or its result mistyped; `warning`: values the client does not know may appear. */
  readonly severity: 'error' | 'warning';
  /** The shipped operations affected. */
  readonly operations: readonly string[];
  /** The coordinate at fault, e.g. `flow_run.serialized_state`, or `null` when none applies. */
  readonly path: string | null;
  readonly message: string;
}

/**
 * Only what affects shipped operations, for a client checking its server at start-up:
 * operations the target rejects (errors), breaking changes to what they use, such as a removed
 * or retyped field (errors), and dangerous changes to what they use, such as new values of
 * enums they use (warnings). Differences nothing uses are left out. An empty list means the
 * target serves every shipped operation as the contract does.
 *
 * @throws {@link DriftCheckError} (`INVALID_SCHEMA`) when graphql-js rejects the schema itself.
 */
export async function compareWithOperations(target: GraphQLSchema): Promise<DriftProblem[]> {
  const report = await analyseSchema(target);
  const problems: DriftProblem[] = [];
  const reported = new Set<string>();
  for (const broken of report.brokenOperations) {
    for (const error of broken.errors) {
      problems.push({ severity: 'error', operations: [broken.operation], path: error.path, message: error.message });
      reported.add(`${broken.operation} ${error.path ?? ''}`);
    }
  }
  for (const change of report.changes) {
    if (change.usedByOperations.length === 0 || change.criticality === 'safe') continue;
    // A removed field already shows up as the operations it breaks; say it once.
    if (change.usedByOperations.every((operation) => reported.has(`${operation} ${change.path ?? ''}`))) continue;
    problems.push({
      severity: change.criticality === 'breaking' ? 'error' : 'warning',
      operations: change.usedByOperations,
      path: change.path,
      message: change.message,
    });
  }
  return problems;
}

/** The same as {@link compareWithOperations}. */
export const checkOperationsAgainst = compareWithOperations;

/** One line per problem, e.g. `error flow_run.serialized_state: Cannot query field … (FlowRunById)`. */
export function describeProblem(problem: DriftProblem): string {
  const where = problem.path ? ` ${problem.path}` : '';
  return `${problem.severity}${where}: ${problem.message} (${problem.operations.join(', ')})`;
}
