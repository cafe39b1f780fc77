import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { cursorFor, positionOf } from './cursors.ts';
import { GitHubFieldError } from './github-errors.ts';

/** GitHub's cap on `first`/`last` for every connection. */
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  totalCount: number;
  nodes: T[];
  edges: ({ cursor: string; node: T } & Record<string, unknown>)[];
  pageInfo: PageInfo;
}

export interface PageOptions<T, N> {
  /** When the list holds only part of what GitHub would count (stargazers outside the seed…). */
  totalCount?: number;
  /** Fields some edge types add, such as StargazerEdge's `starredAt`. */
  edgeFields?: (item: T) => Record<string, unknown>;
  /** The node an item stands for, when items carry edge data (a star: who, and when). */
  node?: (item: T) => N;
}

/**
 * One page of `items` (already filtered and ordered) as a GitHub connection, with GitHub's rules: a
 * page size is required to list nodes or edges (not to count them), at most 100, and cursors must be
 * ones it handed out. Like GitHub, these are field errors, raised while resolving.
 */
export function paginate<T, N = T>(items: readonly T[], args: PageArgs, info: GraphQLResolveInfo, options: PageOptions<T, N> = {}): Connection<N> {
  checkPageSize(args, info);
  let start = afterPosition(args.after, 0);
  let end = afterPosition(args.before, items.length + 1) - 1;
  start = Math.min(Math.max(start, 0), items.length);
  end = Math.max(Math.min(end, items.length), start);
  if (typeof args.first === 'number') end = Math.min(end, start + Math.max(args.first, 0));
  if (typeof args.last === 'number') start = Math.max(start, end - Math.max(args.last, 0));

  // Without a `node` mapping, items are the nodes (N defaults to T).
  const toNode = options.node ?? ((item: T) => item as unknown as N);
  const page = items.slice(start, end);
  const edges = page.map((item, index) => ({ cursor: cursorFor(start + index + 1), node: toNode(item), ...options.edgeFields?.(item) }));
  return {
    totalCount: options.totalCount ?? items.length,
    nodes: edges.map((edge) => edge.node),
    edges,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** What an unmodelled connection (a user's gists…) answers: nothing, correctly shaped. */
export function emptyConnection(): Connection<never> {
  return { totalCount: 0, nodes: [], edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } };
}

function checkPageSize(args: PageArgs, info: GraphQLResolveInfo): void {
  for (const bound of ['first', 'last'] as const) {
    const size = args[bound];
    if (typeof size === 'number' && size > MAX_PAGE_SIZE) {
      throw new GitHubFieldError(
        'EXCESSIVE_PAGINATION',
        `Requesting ${size} records on the \`${info.fieldName}\` connection exceeds the \`${bound}\` limit of ${MAX_PAGE_SIZE} records.`,
      );
    }
  }
  const unbounded = typeof args.first !== 'number' && typeof args.last !== 'number';
  if (unbounded && info.fieldNodes.some((field) => selectsListing(field.selectionSet, info))) {
    throw new GitHubFieldError(
      'MISSING_PAGINATION_BOUNDARIES',
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${info.fieldName}\` connection.`,
    );
  }
}

function afterPosition(cursor: string | null | undefined, fallback: number): number {
  if (cursor === undefined || cursor === null) return fallback;
  const position = positionOf(cursor);
  if (position === undefined) throw new GitHubFieldError('INVALID_CURSOR_ARGUMENTS', `\`${cursor}\` does not appear to be a valid cursor.`);
  return position;
}

/** Whether a connection's selection asks for `nodes` or `edges`, through fragments too. */
function selectsListing(selectionSet: SelectionSetNode | undefined, info: GraphQLResolveInfo, seen = new Set<string>()): boolean {
  for (const selection of selectionSet?.selections ?? []) {
    switch (selection.kind) {
      case Kind.FIELD:
        if (selection.name.value === 'nodes' || selection.name.value === 'edges') return true;
        break;
      case Kind.INLINE_FRAGMENT:
        if (selectsListing(selection.selectionSet, info, seen)) return true;
        break;
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        if (seen.has(name)) break;
        seen.add(name);
        if (selectsListing(info.fragments[name]?.selectionSet, info, seen)) return true;
        break;
      }
    }
  }
  return false;
}
