import type { TweetPublicMetricsV2 } from 'twitter-api-v2';
import { SEED_TWITTER_USERS, seedTweets } from './fixtures/seed.ts';
import { compareIds, snowflakeId, TWITTER_EPOCH_MS } from './snowflake.ts';

export interface StoredUser {
  readonly id: string;
  readonly username: string;
  readonly name: string;
  readonly description: string;
  readonly location: string | undefined;
  readonly url: string;
  readonly createdAt: string;
  readonly verified: boolean;
  readonly protected: boolean;
  readonly profileImageUrl: string;
  readonly followersCount: number;
  readonly followingCount: number;
  readonly listedCount: number;
  /** Moves with posts and deletions, as on X. */
  tweetCount: number;
}

export interface StoredTweet {
  readonly id: string;
  readonly authorId: string;
  readonly text: string;
  readonly createdAt: string;
  readonly lang: string;
  readonly conversationId: string;
  readonly inReplyTo: { readonly userId: string; readonly tweetId: string } | undefined;
  readonly publicMetrics: Required<TweetPublicMetricsV2>;
}

/** Machine bits of ids minted at run time, apart from the seed's (1–10). */
const RUNTIME_MACHINE = 31;

/** The emulator's users and tweets, in memory. */
export class Store {
  readonly #users = new Map<string, StoredUser>();
  readonly #userIdByUsername = new Map<string, string>();
  readonly #tweets = new Map<string, StoredTweet>();
  #newestTweetsFirst: StoredTweet[] | undefined;
  #lastMintedId = '0';

  /** The seed as of `nowMs` (the emulator's clock): its newest tweets are from the day before. */
  static seeded(nowMs: number = Date.now()): Store {
    const store = new Store();
    for (const user of SEED_TWITTER_USERS) {
      store.addUser({
        id: user.id,
        username: user.username,
        name: user.name,
        description: user.description,
        location: user.location,
        url: user.url,
        createdAt: user.createdAt,
        verified: user.verified,
        protected: user.protected,
        profileImageUrl: user.profileImageUrl,
        followersCount: user.publicMetrics.followers_count,
        followingCount: user.publicMetrics.following_count,
        listedCount: user.publicMetrics.listed_count,
        tweetCount: user.publicMetrics.tweet_count,
      });
    }
    // The seed's tweet counts already include its tweets: insert them without counting again.
    for (const tweet of seedTweets(nowMs)) store.#insertTweet({ ...tweet, publicMetrics: { ...tweet.publicMetrics } });
    return store;
  }

  addUser(user: StoredUser): void {
    if (this.#users.has(user.id)) throw new Error(`duplicate user id ${user.id}`);
    this.#users.set(user.id, user);
    this.#userIdByUsername.set(user.username.toLowerCase(), user.id);
  }

  user(id: string): StoredUser | undefined {
    return this.#users.get(id);
  }

  /** Usernames match case-insensitively, as on X. */
  userByUsername(username: string): StoredUser | undefined {
    const id = this.#userIdByUsername.get(username.toLowerCase());
    return id === undefined ? undefined : this.#users.get(id);
  }

  tweet(id: string): StoredTweet | undefined {
    return this.#tweets.get(id);
  }

  /** Every tweet, newest first. */
  tweetsNewestFirst(): readonly StoredTweet[] {
    this.#newestTweetsFirst ??= [...this.#tweets.values()].sort((a, b) => compareIds(b.id, a.id));
    return this.#newestTweetsFirst;
  }

  /**
   * A snowflake for a tweet posted at `nowMs`, above every id so far: a clock pinned before the seed's
   * dates must not slip a new tweet under older ones in "newest first".
   */
  mintTweetId(nowMs: number): string {
    let id = snowflakeId(Math.max(Math.floor(nowMs), Number(TWITTER_EPOCH_MS)), RUNTIME_MACHINE);
    const newest = this.tweetsNewestFirst()[0]?.id ?? '0';
    for (const floor of [newest, this.#lastMintedId]) {
      if (compareIds(id, floor) <= 0) id = (BigInt(floor) + 1n).toString();
    }
    this.#lastMintedId = id;
    return id;
  }

  /** Stores a posted tweet; its author's `tweet_count` goes up. */
  addTweet(tweet: StoredTweet): void {
    this.#insertTweet(tweet);
    const author = this.#users.get(tweet.authorId);
    if (author) author.tweetCount += 1;
  }

  removeTweet(id: string): StoredTweet | undefined {
    const tweet = this.#tweets.get(id);
    if (!tweet) return undefined;
    this.#tweets.delete(id);
    this.#newestTweetsFirst = undefined;
    const author = this.#users.get(tweet.authorId);
    if (author) author.tweetCount = Math.max(0, author.tweetCount - 1);
    return tweet;
  }

  #insertTweet(tweet: StoredTweet): void {
    if (this.#tweets.has(tweet.id)) throw new Error(`duplicate tweet id ${tweet.id}`);
    this.#tweets.set(tweet.id, tweet);
    this.#newestTweetsFirst = undefined;
  }
}
