import { authenticated, publicAccess, scope, type AccessRules } from '../../kit/access/access.ts';
import { writesAsLinkedIdentity } from '../../kit/access/acting-identity.ts';

const writes = writesAsLinkedIdentity('twitter', (p) => p.twitterUsername);

/**
 * Who may use the X fields (README: Authorization). Public accounts and posts are public here too;
 * search has X's tightest window, so it needs `social:read`. Posting acts as the configured user token's
 * account: `social:write`, a linked X username, and the subgraph checks the username is that account's.
 */
export const twitterAccess: AccessRules = {
  Query: {
    viewer: authenticated,
    twitterUser: publicAccess,
    twitterUserById: publicAccess,
    tweet: publicAccess,
    searchRecentTweets: scope('social:read'),
  },
  Mutation: {
    postTweet: writes,
    deleteTweet: writes,
  },
  Subscription: { tweetEvents: scope('social:read') },
  Viewer: { twitter: scope('social:read') },
};
