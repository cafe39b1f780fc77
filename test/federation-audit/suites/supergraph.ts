/**
 * Stands in for the audit's src/supergraph.ts, which routes a suite's subgraphs, supergraph and tests under
 * fets: here a suite is only its spec, and ../audit-harness.ts composes and serves it.
 */
import type { AuditSubgraph } from './subgraph.ts';

/** One audit test (the audit's testkit.ts createTest): `errors` absent means "errors or not, either is fine". */
export interface AuditTest {
  readonly query: string;
  readonly expected: { readonly data?: unknown; readonly errors?: boolean };
}

export interface AuditSuite {
  readonly id: string;
  readonly subgraphs: readonly AuditSubgraph[];
  /** As the audit takes them: a list, or a function giving one. */
  readonly tests: readonly AuditTest[] | (() => readonly AuditTest[]);
}

export function serve(id: string, subgraphs: readonly AuditSubgraph[], tests: AuditSuite['tests']): AuditSuite {
  return { id, subgraphs, tests };
}
