import { validate } from '@octokit/graphql-schema';
import { describe, expect, it } from 'vitest';
import * as queries from '../../subgraphs/github/queries.ts';

/**
 * Every document the GitHub subgraph sends, checked against GitHub's own published schema: a typo or a
 * field GitHub removed fails here, not in production.
 */
const documents: Record<string, string> = {
  usersQuery: queries.usersQuery(3),
  repositoriesQuery: queries.repositoriesQuery(3),
  SEARCH_REPOSITORIES: queries.SEARCH_REPOSITORIES,
  USER_REPOSITORIES: queries.USER_REPOSITORIES,
  ADD_STAR: queries.ADD_STAR,
  REMOVE_STAR: queries.REMOVE_STAR,
  CREATE_ISSUE: queries.CREATE_ISSUE,
  RATE_LIMIT: queries.RATE_LIMIT,
  VIEWER_LOGIN: queries.VIEWER_LOGIN,
  VIEWER_REPOSITORIES: queries.VIEWER_REPOSITORIES,
};

describe("GitHub documents against GitHub's schema", () => {
  it.each(Object.entries(documents))('%s is valid', (_name, document) => {
    expect(validate(document).map((error) => error.message)).toEqual([]);
  });

  it('would catch a typo', () => {
    expect(validate('query { viewer { logn } }').length).toBeGreaterThan(0);
  });
});
