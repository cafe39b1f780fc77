import type { DocumentNode } from 'graphql';
import type { AccessRules } from '../kit/access/access.ts';
import { adminOnly } from '../kit/access/access.ts';
import type { AuditLog } from '../kit/access/audit-log.ts';
import type { PrincipalTokens } from '../kit/access/principal-token.ts';
import type { Logger } from '../kit/logger.ts';
import { auditRefusal } from './authorize/audit-refusal.ts';
import { directiveRules, withDirectiveRules, type Policies } from './authorize/directive-rules.ts';
import { accessPolicy, unruledWarning, type DefaultAccess } from './authorize/policy.ts';
import { shieldRules } from './authorize/shield-rules.ts';
import { useCostDirectives } from './cost-directives.ts';
import type { ServedEngine } from './engine/apollo-gateway.ts';
import type { OperationSharing } from './engine/operation-sharing.ts';
import { createPlanEngine } from './engine/plan-engine.ts';
import { createSupergraphPlanner } from './engine/query-planner.ts';
import { createOverrideSelector } from './engine/progressive-override.ts';
import type { SubgraphUrls } from './engine/subgraph-endpoints.ts';
import type { SubgraphHttp } from './engine/subgraph-http.ts';
import type { SubgraphStreams } from './engine/subgraph-websocket.ts';
import { parseSupergraph, subgraphEndpoints } from './engine/supergraph.ts';
import { canAddProviderStatus, PROVIDER_STATUS_FIELD, withProviderStatus } from './execute/provider-status.ts';
import { checkReadiness, type ReadinessReport } from './health/readiness.ts';
import type { OperationLimits } from './limits.ts';
import type { SchemaDetails } from './schema-details.ts';

/** What serving a supergraph needs that does not change when the supergraph does. */
export interface SupergraphServingDeps {
  readonly logger: Logger;
  readonly subgraphUrls?: SubgraphUrls | undefined;
  /** Per subgraph, a health URL readiness GETs instead of asking it `{ __typename }`. */
  readonly subgraphHealthUrls?: SubgraphUrls | undefined;
  readonly providerSubgraphs?: readonly string[] | undefined;
  /** Our rules, or how to derive them from each supergraph (rules for subgraphs of ours: rulesForOwnSubgraphs). */
  readonly accessRules: AccessRules | ((supergraph: DocumentNode) => AccessRules);
  readonly ignoreRulesForMissingFields?: boolean | undefined;
  readonly defaultAccess?: DefaultAccess | undefined;
  readonly policies?: Policies | undefined;
  readonly audit?: AuditLog | undefined;
  readonly tokens: PrincipalTokens;
  readonly pingCache: () => Promise<void>;
  readonly limits: OperationLimits;
  readonly details: SchemaDetails;
  readonly call: SubgraphHttp['call'];
  readonly inProcess?: SubgraphHttp['inProcess'] | undefined;
  readonly streams: SubgraphStreams;
  /** Runs identical queries in flight once (GATEWAY_SHARE_OPERATIONS); off when absent. */
  readonly operationSharing?: OperationSharing | undefined;
  /** Custom progressive override labels on for every request (GATEWAY_OVERRIDE_LABELS). */
  readonly overrideLabels?: readonly string[] | undefined;
  /** Custom labels a request may turn on with `x-override-labels` (GATEWAY_OVERRIDE_REQUEST_LABELS); checked against the supergraph here. */
  readonly requestOverrideLabels?: readonly string[] | undefined;
  /** The per-request draw for `percent(n)` labels, in [0, 1). */
  readonly overrideRandom?: (() => number) | undefined;
}

/** One supergraph, ready to serve: its engine, where its subgraphs are, and how to tell they are ready. */
export interface ServedSupergraph extends ServedEngine {
  readonly endpoints: ReadonlyMap<string, string>;
  readonly readiness: () => Promise<ReadinessReport>;
}

/**
 * Builds everything that depends on the supergraph: endpoints, planner, schema (with `providerStatus`
 * where it belongs), the access policy (our rules, the supergraph's authorization directives, the
 * default) and the engine. Throws, naming the problem, for a supergraph that cannot be served; nothing
 * is changed then, so a reload with a bad file leaves the old supergraph serving.
 */
export function serveSupergraph(supergraphSdl: string, deps: SupergraphServingDeps): ServedSupergraph {
  const { logger } = deps;
  const supergraph = parseSupergraph(supergraphSdl);
  const endpoints = subgraphEndpoints(supergraph, deps.subgraphUrls ?? {});
  const providerSubgraphs = (deps.providerSubgraphs ?? []).filter((name) => endpoints.has(name));
  const readiness = () => checkReadiness({ endpoints, healthUrls: deps.subgraphHealthUrls, providerSubgraphs, pingCache: deps.pingCache, tokens: deps.tokens });
  const planner = createSupergraphPlanner(supergraphSdl);
  const providerStatus = providerSubgraphs.length > 0 && canAddProviderStatus(planner.apiSchema);
  if (providerSubgraphs.length > 0 && !providerStatus) logger.warn({ field: PROVIDER_STATUS_FIELD }, 'the supergraph has its own providerStatus: the gateway does not add one');
  const schema = providerStatus ? withProviderStatus(planner.apiSchema, async () => (await readiness()).providers) : planner.apiSchema;
  // The API schema has lost them: the cost estimate reads @cost and @listSize from the supergraph, once.
  useCostDirectives(schema, supergraph);
  const defaultAccess = deps.defaultAccess ?? 'deny';
  const directives = directiveRules(supergraph, schema, deps.policies ?? {});
  if (directives.unknownPolicies.length > 0) logger.warn({ policies: directives.unknownPolicies }, '@policy names policies that are not registered: fields that need them are refused');
  const given = typeof deps.accessRules === 'function' ? deps.accessRules(supergraph) : deps.accessRules;
  const ours = providerStatus ? { ...given, Query: { ...given['Query'], [PROVIDER_STATUS_FIELD]: adminOnly } } : given;
  const policy = accessPolicy(schema, withDirectiveRules(ours, directives.rules), { ignoreMissing: deps.ignoreRulesForMissingFields ?? false, defaultAccess });
  if (policy.unruled.length > 0) logger.warn({ fields: policy.unruled, count: policy.unruled.length, defaultAccess }, unruledWarning(defaultAccess, policy.unruled.length));
  for (const [variable, labels] of [['GATEWAY_OVERRIDE_LABELS', deps.overrideLabels], ['GATEWAY_OVERRIDE_REQUEST_LABELS', deps.requestOverrideLabels]] as const) {
    const unused = (labels ?? []).filter((label) => !planner.overrides.labels.includes(label));
    if (unused.length > 0) logger.warn({ labels: unused }, `${variable} names labels no @override of the supergraph uses`);
  }
  const engine = createPlanEngine({
    planner,
    schema,
    gatewayFields: new Set(providerStatus ? [PROVIDER_STATUS_FIELD] : []),
    rules: shieldRules(policy.rules),
    call: deps.call,
    inProcess: deps.inProcess,
    streams: deps.streams,
    onMutationRefused: deps.audit ? auditRefusal(deps.audit) : undefined,
    requestTimeoutMs: deps.limits.requestTimeoutMs,
    maskError: deps.details.mask,
    sharing: deps.operationSharing,
    overrides: createOverrideSelector(planner.overrides, { activeLabels: deps.overrideLabels, random: deps.overrideRandom }),
  });
  return { supergraphSdl, endpoints, readiness, engine };
}
