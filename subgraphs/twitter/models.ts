/** What the Twitter resolvers pass around: X's answers, flattened to what the schema shows. */

export interface TwitterUserModel {
  id: string;
  username: string;
  name: string;
  description: string | null;
  profileImageUrl: string | null;
  createdAt: string | null;
  location: string | null;
  verified: boolean | null;
  followers: number | null;
  following: number | null;
  tweetCount: number | null;
}

export interface TweetModel {
  id: string;
  text: string;
  createdAt: string | null;
  lang: string | null;
  authorId: string | null;
  metrics: { likes: number; retweets: number; replies: number; quotes: number; impressions: number | null } | null;
}

export interface TweetPageModel {
  tweets: TweetModel[];
  /** X's `next_token`, when there are older posts. */
  nextToken: string | null;
  hasPrevious: boolean;
}
