import type { OverrideChoice, SupergraphOverrides } from './query-planner.ts';

/** Which progressive overrides one request gets, and the key its plan is cached under among the others. */
export interface OverrideSelection {
  /** Empty when every request gets the same overrides (no `percent(n)` label in the supergraph). */
  readonly key: string;
  readonly choice: OverrideChoice;
}

export type OverrideSelector = () => OverrideSelection;

export interface OverrideSettings {
  /** Custom labels (`@override(label: "…")`) turned on for every request (GATEWAY_OVERRIDE_LABELS); the others are off. */
  readonly activeLabels?: readonly string[] | undefined;
  /** A number in [0, 1) per request: `percent(n)` labels are on for the requests that draw below n%. */
  readonly random?: (() => number) | undefined;
}

/**
 * Progressive `@override` (Federation 2.7): a field moves from one subgraph to another for the requests
 * its label is on for. `percent(n)` labels are on for a random n% of requests, drawn per request as Hive
 * Router and Apollo Router do; custom labels are on when configured. A plan depends only on which
 * thresholds the draw fell below, so plans are cached per outcome: with k distinct percentages, at most
 * k + 1 plans per operation. A supergraph without percentages costs nothing per request.
 */
export function createOverrideSelector(overrides: SupergraphOverrides, { activeLabels = [], random = Math.random }: OverrideSettings = {}): OverrideSelector {
  const active: ReadonlySet<string> = new Set(activeLabels.filter((label) => overrides.labels.includes(label)));
  const thresholds = [...new Set(overrides.percentages)].sort((a, b) => a - b);
  if (thresholds.length === 0) {
    const fixed: OverrideSelection = { key: '', choice: { activeLabels: active, percentageValue: 0 } };
    return () => fixed;
  }
  return () => {
    const percentageValue = random() * 100;
    // Thresholds are sorted: the outcome is how many of them the draw fell below.
    let below = 0;
    for (const threshold of thresholds) if (percentageValue < threshold) below++;
    return { key: `p${below}`, choice: { activeLabels: active, percentageValue } };
  };
}
