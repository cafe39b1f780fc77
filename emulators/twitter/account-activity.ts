import type { Store, StoredTweet, StoredUser } from './store.ts';

/**
 * Account Activity API events, in X's webhook format: v1.1-style objects inside an envelope naming the
 * subscribed user (`for_user_id`). The emulator raises them for the tweet's author only (not for users a
 * tweet mentions or replies to).
 */

/** A 64-bit integer written into JSON digit for digit: v1.1 objects carry `id` as a number too large for a JS number. */
export class JsonInteger {
  readonly digits: string;
  constructor(digits: string) {
    this.digits = digits;
  }
}

/** A ready-to-send event: its JSON body (exactly what is signed) and its kind, for logs and tests. */
export interface AccountActivity {
  readonly kind: 'tweet_create_events' | 'tweet_delete_events';
  readonly body: string;
}

export function tweetCreateActivity(tweet: StoredTweet, author: StoredUser, store: Store): AccountActivity {
  return {
    kind: 'tweet_create_events',
    body: toJson({ for_user_id: author.id, tweet_create_events: [v1Tweet(tweet, author, store)] }),
  };
}

export function tweetDeleteActivity(tweet: StoredTweet, deletedAtMs: number): AccountActivity {
  return {
    kind: 'tweet_delete_events',
    body: toJson({
      for_user_id: tweet.authorId,
      tweet_delete_events: [{ status: { id: tweet.id, user_id: tweet.authorId }, timestamp_ms: String(Math.floor(deletedAtMs)) }],
    }),
  };
}

/** The source label X shows for tweets posted through the emulator's "app". */
const SOURCE = '<a href="https://developer.x.com" rel="nofollow">twitter-emulator</a>';

function v1Tweet(tweet: StoredTweet, author: StoredUser, store: Store): Record<string, unknown> {
  const repliedTo = tweet.inReplyTo;
  const repliedToUser = repliedTo ? store.user(repliedTo.userId) : undefined;
  return {
    created_at: v1Date(tweet.createdAt),
    id: new JsonInteger(tweet.id),
    id_str: tweet.id,
    text: tweet.text,
    source: SOURCE,
    truncated: false,
    in_reply_to_status_id: repliedTo ? new JsonInteger(repliedTo.tweetId) : null,
    in_reply_to_status_id_str: repliedTo?.tweetId ?? null,
    in_reply_to_user_id: repliedTo ? new JsonInteger(repliedTo.userId) : null,
    in_reply_to_user_id_str: repliedTo?.userId ?? null,
    in_reply_to_screen_name: repliedToUser?.username ?? null,
    user: v1User(author),
    geo: null,
    coordinates: null,
    place: null,
    contributors: null,
    is_quote_status: false,
    quote_count: tweet.publicMetrics.quote_count,
    reply_count: tweet.publicMetrics.reply_count,
    retweet_count: tweet.publicMetrics.retweet_count,
    favorite_count: tweet.publicMetrics.like_count,
    entities: v1Entities(tweet.text, store),
    favorited: false,
    retweeted: false,
    filter_level: 'low',
    lang: tweet.lang,
    timestamp_ms: String(Date.parse(tweet.createdAt)),
  };
}

function v1User(user: StoredUser): Record<string, unknown> {
  return {
    id: new JsonInteger(user.id),
    id_str: user.id,
    name: user.name,
    screen_name: user.username,
    location: user.location ?? null,
    url: user.url === '' ? null : user.url,
    description: user.description,
    protected: user.protected,
    verified: user.verified,
    followers_count: user.followersCount,
    friends_count: user.followingCount,
    listed_count: user.listedCount,
    favourites_count: 0,
    statuses_count: user.tweetCount,
    created_at: v1Date(user.createdAt),
    profile_image_url_https: user.profileImageUrl,
    default_profile: false,
    default_profile_image: false,
  };
}

/** Hashtags and mentions of known users, with code-point `indices` as v1.1 counts them. */
function v1Entities(text: string, store: Store): Record<string, unknown> {
  const codePointIndex = (utf16Index: number): number => Array.from(text.slice(0, utf16Index)).length;
  const hashtags = [...text.matchAll(/(^|[^\p{L}\p{N}_&])#([\p{L}\p{N}_]+)/gu)].map((match) => {
    const start = (match.index ?? 0) + (match[1]?.length ?? 0);
    const tag = match[2] ?? '';
    return { text: tag, indices: [codePointIndex(start), codePointIndex(start + 1 + tag.length)] };
  });
  const userMentions = [...text.matchAll(/(^|[^A-Za-z0-9_])@([A-Za-z0-9_]{1,15})/g)].flatMap((match) => {
    const user = store.userByUsername(match[2] ?? '');
    if (!user) return [];
    const start = (match.index ?? 0) + (match[1]?.length ?? 0);
    const end = start + 1 + (match[2]?.length ?? 0);
    return [{ screen_name: user.username, name: user.name, id: new JsonInteger(user.id), id_str: user.id, indices: [codePointIndex(start), codePointIndex(end)] }];
  });
  return { hashtags, urls: [], user_mentions: userMentions, symbols: [] };
}

/** v1.1 dates: `Wed Oct 10 20:19:24 +0000 2018`. */
function v1Date(iso: string): string {
  // toUTCString gives "Wed, 10 Oct 2018 20:19:24 GMT".
  const [weekday = '', day = '', month = '', year = '', time = ''] = new Date(iso).toUTCString().replace(',', '').split(' ');
  return `${weekday} ${month} ${day} ${time} +0000 ${year}`;
}

/** JSON.stringify, except that JsonInteger values are written as bare numbers. */
export function toJson(value: unknown): string {
  if (value instanceof JsonInteger) return value.digits;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).filter(([, member]) => member !== undefined);
    return `{${members.map(([key, member]) => `${JSON.stringify(key)}:${toJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
