import type { IncomingHttpHeaders } from 'node:http';
import type { OverrideChoice, SupergraphOverrides } from './query-planner.ts';

/** Which progressive overrides one request gets, and the key its plan is cached under among the others. */
export interface OverrideSelection {
  /** Empty when every request gets the same overrides (no `percent(n)` label in the supergraph). */
  readonly key: string;
  readonly choice: OverrideChoice;
}

/** The overrides of one request, given the custom labels it asked for (see requestedOverrideLabels). */
export type OverrideSelector = (requested?: readonly string[]) => OverrideSelection;

/** Where a request names the custom labels it wants on, comma-separated (Hive Router reads a header too). */
export const OVERRIDE_LABELS_HEADER = 'x-override-labels';

/**
 * The custom labels a request asks for in its `x-override-labels` header that GATEWAY_OVERRIDE_REQUEST_LABELS
 * lets requests turn on (any other name is ignored: moving a field is the operator's decision), sorted and
 * without repeats; undefined when none.
 */
export function requestedOverrideLabels(headers: IncomingHttpHeaders, allowed: ReadonlySet<string>): readonly string[] | undefined {
  if (allowed.size === 0) return undefined;
  const header = headers[OVERRIDE_LABELS_HEADER];
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return undefined;
  const labels = [...new Set(value.split(',').map((label) => label.trim()))].filter((label) => allowed.has(label)).sort();
  return labels.length > 0 ? labels : undefined;
}

export interface OverrideSettings {
  /** Custom labels (`@override(label: "…")`) turned on for every request (GATEWAY_OVERRIDE_LABELS); the others are off unless a request asks. */
  readonly activeLabels?: readonly string[] | undefined;
  /** A number in [0, 1) per request: `percent(n)` labels are on for the requests that draw below n%. */
  readonly random?: (() => number) | undefined;
}

/**
 * Progressive `@override` (Federation 2.7): a field moves from one subgraph to another for the requests
 * its label is on for. `percent(n)` labels are on for a random n% of requests, drawn per request as Hive
 * Router and Apollo Router do; custom labels are on when configured, for every request or for the requests
 * that ask (`requested`). A plan depends only on which thresholds the draw fell below and which labels the
 * request turned on, so plans are cached per outcome: with k distinct percentages, at most k + 1 plans per
 * operation and set of requested labels. A supergraph without percentages costs nothing per request.
 */
export function createOverrideSelector(overrides: SupergraphOverrides, { activeLabels = [], random = Math.random }: OverrideSettings = {}): OverrideSelector {
  const active: ReadonlySet<string> = new Set(activeLabels.filter((label) => overrides.labels.includes(label)));
  const thresholds = [...new Set(overrides.percentages)].sort((a, b) => a - b);
  const fixed: OverrideSelection = { key: '', choice: { activeLabels: active, percentageValue: 0 } };
  const drawn = (): OverrideSelection => {
    if (thresholds.length === 0) return fixed;
    const percentageValue = random() * 100;
    // Thresholds are sorted: the outcome is how many of them the draw fell below.
    let below = 0;
    for (const threshold of thresholds) if (percentageValue < threshold) below++;
    return { key: `p${below}`, choice: { activeLabels: active, percentageValue } };
  };
  return (requested) => {
    const selection = drawn();
    const added = requested?.filter((label) => overrides.labels.includes(label) && !active.has(label));
    if (!added || added.length === 0) return selection;
    return { key: `${selection.key}\u0002${added.join(',')}`, choice: { activeLabels: new Set([...active, ...added]), percentageValue: selection.choice.percentageValue } };
  };
}
