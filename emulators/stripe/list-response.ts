import type { ApiContext, ApiResult } from './api-context.ts';
import { expandObject, itemPaths } from './expand.ts';
import { paginate, type PageParams } from './pagination.ts';
import { invalidRequest } from './stripe-error.ts';

/**
 * A list endpoint's answer: `{ object: 'list', data, has_more, url }`, newest first, one page cut by
 * `limit` / `starting_after` / `ending_before`, with `expand[]=data.…` applied to each item.
 */
export function listResult<T extends { id: string }>(
  context: ApiContext,
  url: string,
  ordered: readonly T[],
  matches: (item: T) => boolean,
  params: PageParams,
  resourceName: string,
): ApiResult {
  const paths = itemPaths(params.expand);
  const page = paginate(ordered, matches, params, (id, param) =>
    invalidRequest(`No such ${resourceName}: '${id}'`, { code: 'resource_missing', param }),
  );
  return {
    status: 200,
    body: {
      object: 'list',
      data: page.data.map((item) => expandObject(item, paths, context.store)),
      has_more: page.has_more,
      url,
    },
  };
}
