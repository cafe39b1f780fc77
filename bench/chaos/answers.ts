/**
 * What a chaos run sends and how each answer is judged: the README's `viewer` query across the four
 * providers, compared with the answer of the same stack before any fault.
 */
import { isDeepStrictEqual } from 'node:util';

export const VIEWER_QUERY = /* GraphQL */ `
  query ChaosViewer {
    viewer {
      customer { name paymentIntents(first: 3) { nodes { amount { formatted } status } } }
      github { login repositories(first: 3) { nameWithOwner stars } }
      twitter { username tweets(first: 5) { edges { node { text } } } }
      files(first: 5) { nodes { key size } }
    }
  }
`;

/** Which provider answers each part of `viewer`. */
export const PART_PROVIDER = { customer: 'stripe', github: 'github', twitter: 'twitter', files: 's3' } as const;

export interface GraphQLAnswer {
  data?: { viewer?: Record<string, unknown> | null } | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/**
 * - `complete`: the answer before the fault, and no error.
 * - `partial`: every value is the one before the fault, or null with an error at or under its path.
 * - `wrong`: a value differs, or is null with no error to say why (data that lies).
 * - `no data`: not a 200 with `data.viewer`.
 */
export type Verdict = 'complete' | 'partial' | 'wrong' | 'no data';

export function judge(status: number, answer: GraphQLAnswer | undefined, baseline: Record<string, unknown>): Verdict {
  const viewer = answer?.data?.viewer;
  if (status !== 200 || !viewer) return 'no data';
  const errorPaths = (answer.errors ?? []).map((error) => (error.path ?? []).join('.'));
  const explained = (path: string) => errorPaths.some((errorPath) => errorPath === path || errorPath.startsWith(`${path}.`));
  const verdict = compare(viewer, baseline, 'viewer', explained);
  if (verdict === 'same') return errorPaths.length === 0 ? 'complete' : 'partial';
  return verdict === 'degraded' ? 'partial' : 'wrong';
}

type Comparison = 'same' | 'degraded' | 'wrong';

function compare(value: unknown, expected: unknown, path: string, explained: (path: string) => boolean): Comparison {
  if (isDeepStrictEqual(value, expected)) return 'same';
  if (value === null) return explained(path) ? 'degraded' : 'wrong';
  if (Array.isArray(value) && Array.isArray(expected)) {
    if (value.length !== expected.length) return 'wrong';
    return worst(value.map((item, index) => compare(item, expected[index], `${path}.${index}`, explained)));
  }
  if (isObject(value) && isObject(expected)) {
    const keys = new Set([...Object.keys(value), ...Object.keys(expected)]);
    return worst([...keys].map((key) => compare(value[key], expected[key], `${path}.${key}`, explained)));
  }
  return 'wrong';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const worst = (comparisons: Comparison[]): Comparison =>
  comparisons.includes('wrong') ? 'wrong' : comparisons.includes('degraded') ? 'degraded' : 'same';
