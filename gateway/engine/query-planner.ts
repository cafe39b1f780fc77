import { QueryPlanner, type QueryPlan } from '@graphql-hive/router-query-planner';
import { buildASTSchema, GraphQLError, Kind, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../../kit/errors.ts';

export type { QueryPlan };

/** The progressive override labels (`@override(label:)`) a supergraph uses. */
export interface SupergraphOverrides {
  /** Custom labels, on only when configured. */
  readonly labels: readonly string[];
  /** The n of each `percent(n)` label, from 0 to 100. */
  readonly percentages: readonly number[];
}

/** The progressive overrides one plan is made for: the custom labels on, and the request's draw (0–100) for `percent(n)` labels. */
export interface OverrideChoice {
  readonly activeLabels: ReadonlySet<string>;
  readonly percentageValue: number;
}

export interface SupergraphPlanner {
  /** The schema clients see: the supergraph without federation's machinery and `@inaccessible` parts. */
  readonly apiSchema: GraphQLSchema;
  readonly overrides: SupergraphOverrides;
  /**
   * A plan for one operation of `document` (printed GraphQL), with the given progressive overrides (none on
   * when absent); a clear GraphQL error if it cannot be planned.
   */
  plan(document: string, operationName: string | null | undefined, override?: OverrideChoice): QueryPlan;
}

/**
 * Hive Router's query planner (Rust, through N-API). Planning is synchronous and CPU-bound: callers cache
 * plans per operation (plan-engine.ts), so it runs once per distinct operation, not per request.
 */
export function createSupergraphPlanner(supergraphSdl: string): SupergraphPlanner {
  const planner = new QueryPlanner(supergraphSdl);
  const apiSchema = buildASTSchema(withoutIntrospectionFields(parse(planner.consumerSchema)), { assumeValidSDL: true });
  const noLabels = new Set<string>();
  return {
    apiSchema,
    overrides: { labels: [...planner.overrideLabels], percentages: [...planner.overridePercentages] },
    plan(document, operationName, override) {
      try {
        // The draw is from 0 to 100, compared with each `percent(n)`; without one, 100: no `percent` label on.
        const labels = override && override.activeLabels.size > 0 ? new Set(override.activeLabels) : noLabels;
        return planner.plan(document, operationName ?? null, labels, override?.percentageValue ?? 100);
      } catch (error) {
        // The planner names what it could not plan (a field, a type), never anything about the deployment.
        throw new GraphQLError(`The operation could not be planned: ${error instanceof Error ? error.message : String(error)}`, {
          extensions: { code: ErrorCode.QUERY_PLANNING_FAILED },
        });
      }
    },
  };
}

/** The consumer schema declares `__schema` and `__type` on Query, which graphql-js adds itself (and refuses twice). */
function withoutIntrospectionFields(document: DocumentNode): DocumentNode {
  return {
    ...document,
    definitions: document.definitions.map((definition) =>
      definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.fields?.some((field) => field.name.value.startsWith('__'))
        ? { ...definition, fields: definition.fields.filter((field) => !field.name.value.startsWith('__')) }
        : definition,
    ),
  };
}
