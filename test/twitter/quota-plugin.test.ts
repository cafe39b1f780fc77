import { describe, expect, it } from 'vitest';
import { endpointOf } from '../../subgraphs/twitter/quota-plugin.ts';

describe('X endpoints for rate-limit windows', () => {
  it.each([
    ['https://api.x.com/2/users/709308365835735043/tweets?max_results=5', 'GET /2/users/:id/tweets'],
    ['https://api.x.com/2/users/by?usernames=a,b', 'GET /2/users/by'],
    ['https://api.x.com/2/users/by/username/ada_builds', 'GET /2/users/by/username/:username'],
    ['https://api.x.com/2/tweets/1999000000000000001', 'GET /2/tweets/:id'],
  ])('%s → %s', (url, endpoint) => {
    expect(endpointOf('get', new URL(url))).toBe(endpoint);
  });
});
