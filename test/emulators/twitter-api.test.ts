import { request, type Agent } from 'node:http';
import { ApiResponseError, TwitterApi, type TweetV2, type TwitterApiTokens, type UserV2 } from 'twitter-api-v2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedTweetsBy, seedTwitterUser, SEED_TWITTER_USERS } from '../../emulators/twitter/fixtures/seed.ts';
import { startTwitterEmulator, userAccessToken, type TwitterEmulator } from '../../emulators/twitter/server.ts';
import { baseUrlPlugin, clientSettingsFor } from '../../subgraphs/twitter/base-url-plugin.ts';

const ADA = seedTwitterUser('ada_builds');
const DMITRI = seedTwitterUser('dmitri_codes');
const HIRO = seedTwitterUser('hirotanaka');

const NOT_FOUND_TYPE = 'https://api.twitter.com/2/problems/resource-not-found';

/** The real client, pointed at an emulator the way the subgraph points it (plugin + http agent). */
function twitterClient(emulator: TwitterEmulator, agents: Agent[], token: string | TwitterApiTokens = emulator.bearerToken): TwitterApi {
  const settings = { plugins: [baseUrlPlugin(emulator.url)], ...clientSettingsFor(emulator.url) };
  if (settings.httpAgent) agents.push(settings.httpAgent);
  // The constructor is overloaded per credential kind.
  return typeof token === 'string' ? new TwitterApi(token, settings) : new TwitterApi(token, settings);
}

async function apiErrorOf(promise: Promise<unknown>): Promise<ApiResponseError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiResponseError) return error;
    throw error;
  }
  throw new Error('expected the X call to fail');
}

/** A control call without keep-alive, so no socket outlives it. */
function control(emulator: TwitterEmulator, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const req = request(`${emulator.url}${path}`, { method, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, json: text === '' ? undefined : JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** X's recent search sees the last seven days only. */
function lastSevenDays(tweet: { createdAt: string }): boolean {
  return Date.parse(tweet.createdAt) >= Date.now() - 7 * 86_400_000;
}

function mentionsWord(text: string, word: string): boolean {
  return new RegExp(`(^|[^\\p{L}\\p{N}_])${word}($|[^\\p{L}\\p{N}_])`, 'iu').test(text);
}

describe('X emulator, through the real twitter-api-v2 client', () => {
  let emulator: TwitterEmulator;
  let client: TwitterApi;
  const agents: Agent[] = [];

  beforeAll(async () => {
    emulator = await startTwitterEmulator();
    client = twitterClient(emulator, agents);
  });

  afterAll(async () => {
    await emulator?.close();
    for (const agent of agents) agent.destroy();
  });

  beforeEach(() => {
    emulator.rateLimits.reset();
    emulator.requests.reset();
  });

  describe('user lookups', () => {
    it('answers usernames with the default fields, and unknown ones as partial errors beside data', async () => {
      const result = await client.v2.usersByUsernames(['ada_builds', 'nosuchuser', 'HIROTANAKA']);
      expect(result.data).toEqual([
        { id: ADA.id, name: 'Ada Okafor', username: 'ada_builds' },
        { id: HIRO.id, name: 'Hiroshi Tanaka', username: 'hirotanaka' },
      ]);
      expect(result.errors).toEqual([
        {
          value: 'nosuchuser',
          detail: 'Could not find user with usernames: [nosuchuser].',
          title: 'Not Found Error',
          resource_type: 'user',
          parameter: 'usernames',
          resource_id: 'nosuchuser',
          type: NOT_FOUND_TYPE,
        },
      ]);
      expect(emulator.requests.byOperation()).toEqual({ 'GET /2/users/by': 1 });
    });

    it('renders the requested user.fields from the seed', async () => {
      const { data } = await client.v2.users([ADA.id, DMITRI.id], {
        'user.fields': ['created_at', 'description', 'location', 'url', 'profile_image_url', 'public_metrics', 'verified', 'protected'],
      });
      const expected = (user: typeof ADA): UserV2 => ({
        id: user.id,
        name: user.name,
        username: user.username,
        created_at: user.createdAt,
        description: user.description,
        ...(user.location !== undefined ? { location: user.location } : {}),
        url: user.url,
        profile_image_url: user.profileImageUrl,
        public_metrics: { ...user.publicMetrics },
        verified: user.verified,
        protected: false,
      });
      expect(data).toEqual([expected(ADA), expected(DMITRI)]);
      expect(data[0]?.public_metrics?.tweet_count).toBeGreaterThanOrEqual(seedTweetsBy('ada_builds').length);
    });

    it('omits data when no id is found, and looks up single users by id and username', async () => {
      const none = await client.v2.users(['1', '2']);
      expect(none).not.toHaveProperty('data');
      expect(none.errors?.map((error) => [error.parameter, error.detail])).toEqual([
        ['ids', 'Could not find user with ids: [1].'],
        ['ids', 'Could not find user with ids: [2].'],
      ]);

      expect((await client.v2.user(HIRO.id, { 'user.fields': ['location'] })).data).toEqual({
        id: HIRO.id,
        name: 'Hiroshi Tanaka',
        username: 'hirotanaka',
        location: 'Tokyo, Japan',
      });
      expect((await client.v2.userByUsername('Ada_Builds')).data.id).toBe(ADA.id);
    });

    it('answers an unknown single username with 200 and only an error', async () => {
      const result = await client.v2.userByUsername('nosuchuser');
      expect(result).toEqual({
        errors: [
          {
            value: 'nosuchuser',
            detail: 'Could not find user with username: [nosuchuser].',
            title: 'Not Found Error',
            resource_type: 'user',
            parameter: 'username',
            resource_id: 'nosuchuser',
            type: NOT_FOUND_TYPE,
          },
        ],
      });
    });

    it('refuses more than 100 ids, malformed usernames and unknown fields with 400 Invalid Request', async () => {
      const ids = Array.from({ length: 101 }, (_, index) => String(1000 + index));
      const tooMany = await apiErrorOf(client.v2.users(ids));
      expect(tooMany.code).toBe(400);
      expect(tooMany.data).toEqual({
        errors: [{ parameters: { ids: [ids.join(',')] }, message: 'The number of values in the `ids` query parameter list [101] is not between 1 and 100' }],
        title: 'Invalid Request',
        detail: 'One or more parameters to your request was invalid.',
        type: 'https://api.twitter.com/2/problems/invalid-request',
      });

      const malformed = await apiErrorOf(client.v2.usersByUsernames(['bad-name', 'ada_builds']));
      expect(malformed.errors).toEqual([
        { parameters: { usernames: ['bad-name'] }, message: 'The `usernames` query parameter value [bad-name] does not match ^[A-Za-z0-9_]{1,15}$' },
      ]);

      const unknownField = await apiErrorOf(client.v2.user(ADA.id, { 'user.fields': 'colour' }));
      expect(unknownField.code).toBe(400);
      expect(JSON.stringify(unknownField.errors)).toContain('The `user.fields` query parameter value [colour] is not one of [affiliation,');
    });
  });

  describe('tweets', () => {
    it('looks tweets up by ids with tweet.fields, author expansion and partial errors', async () => {
      const [newest, reply] = [seedTweetsBy('dmitri_codes')[0]!, seedTweetsBy('dmitri_codes').find((tweet) => tweet.inReplyTo)!];
      const result = await client.v2.tweets([newest.id, '20', reply.id], {
        'tweet.fields': ['created_at', 'author_id', 'public_metrics', 'lang', 'conversation_id'],
        'user.fields': ['verified'],
        expansions: ['author_id'],
      });
      expect(result.data).toEqual([
        {
          id: newest.id,
          text: newest.text,
          edit_history_tweet_ids: [newest.id],
          created_at: newest.createdAt,
          author_id: DMITRI.id,
          public_metrics: { ...newest.publicMetrics },
          lang: 'en',
          conversation_id: newest.id,
        },
        expect.objectContaining({ id: reply.id, conversation_id: reply.inReplyTo?.tweetId, author_id: DMITRI.id }),
      ]);
      expect(result.includes).toEqual({ users: [{ id: DMITRI.id, name: 'Dmitri Sokolov', username: 'dmitri_codes', verified: false }] });
      expect(result.errors).toEqual([
        {
          value: '20',
          detail: 'Could not find tweet with ids: [20].',
          title: 'Not Found Error',
          resource_type: 'tweet',
          parameter: 'ids',
          resource_id: '20',
          type: NOT_FOUND_TYPE,
        },
      ]);
    });

    it('always returns id, text and edit_history_tweet_ids, and expands replies', async () => {
      const reply = seedTweetsBy('ada_builds').find((tweet) => tweet.inReplyTo)!;
      const plain = await client.v2.singleTweet(reply.id);
      expect(plain).toEqual({ data: { id: reply.id, text: reply.text, edit_history_tweet_ids: [reply.id] } });

      const expanded = await client.v2.singleTweet(reply.id, {
        'tweet.fields': ['in_reply_to_user_id', 'referenced_tweets', 'author_id'],
        expansions: ['referenced_tweets.id', 'in_reply_to_user_id'],
      });
      expect(expanded.data).toMatchObject({
        in_reply_to_user_id: DMITRI.id,
        referenced_tweets: [{ type: 'replied_to', id: reply.inReplyTo?.tweetId }],
      });
      expect(expanded.includes?.users?.map((user) => user.username)).toEqual(['dmitri_codes']);
      expect(expanded.includes?.tweets?.[0]).toMatchObject({ id: reply.inReplyTo?.tweetId, author_id: DMITRI.id });

      expect(await client.v2.singleTweet('1')).toEqual({
        errors: [expect.objectContaining({ detail: 'Could not find tweet with id: [1].', parameter: 'id', resource_type: 'tweet' })],
      });
    });
  });

  describe('user timeline', () => {
    it('pages through every tweet, newest first, to the end', async () => {
      const expected = seedTweetsBy('ada_builds');
      const timeline = await client.v2.userTimeline(ADA.id, { max_results: 10, 'tweet.fields': ['created_at'] });
      expect(timeline.tweets).toHaveLength(10);
      expect(timeline.meta).toMatchObject({ result_count: 10, newest_id: expected[0]?.id, oldest_id: expected[9]?.id });
      expect(timeline.meta.next_token).toEqual(expect.any(String));
      expect(timeline.meta).not.toHaveProperty('previous_token');

      while (!timeline.done) await timeline.fetchNext();
      expect(timeline.tweets.map((tweet) => tweet.id)).toEqual(expected.map((tweet) => tweet.id));
      expect(timeline.tweets.map((tweet) => tweet.created_at)).toEqual(expected.map((tweet) => tweet.createdAt));
      expect(emulator.requests.count('GET /2/users/:id/tweets')).toBe(Math.ceil(expected.length / 10));
    });

    it('offers a previous_token from the second page on, leading back to the first', async () => {
      const first = await client.v2.userTimeline(DMITRI.id, { max_results: 5 });
      const second = await first.next();
      expect(second.meta.previous_token).toEqual(expect.any(String));
      const back = await second.previous();
      expect(back.tweets.map((tweet) => tweet.id)).toEqual(first.tweets.map((tweet) => tweet.id));
    });

    it('filters with exclude=replies, since_id and until_id, and expands the author', async () => {
      const all = seedTweetsBy('priyaraman_dev');
      const withoutReplies = await client.v2.userTimeline(seedTwitterUser('priyaraman_dev').id, { max_results: 100, exclude: ['replies'] });
      expect(withoutReplies.tweets.map((tweet) => tweet.id)).toEqual(all.filter((tweet) => !tweet.inReplyTo).map((tweet) => tweet.id));

      const window = await client.v2.userTimeline(seedTwitterUser('priyaraman_dev').id, {
        since_id: all[10]!.id,
        until_id: all[2]!.id,
        expansions: ['author_id'],
        'tweet.fields': ['author_id'],
      });
      expect(window.tweets.map((tweet) => tweet.id)).toEqual(all.slice(3, 10).map((tweet) => tweet.id));
      expect(window.includes.author(window.tweets[0] as TweetV2)?.username).toBe('priyaraman_dev');
    });

    it('answers 400 for max_results outside 5–100', async () => {
      for (const maxResults of [4, 101]) {
        const error = await apiErrorOf(client.v2.userTimeline(ADA.id, { max_results: maxResults }));
        expect(error.code).toBe(400);
        expect(error.data).toEqual({
          errors: [
            {
              parameters: { max_results: [String(maxResults)] },
              message: `The \`max_results\` query parameter value [${maxResults}] is not between 5 and 100`,
            },
          ],
          title: 'Invalid Request',
          detail: 'One or more parameters to your request was invalid.',
          type: 'https://api.twitter.com/2/problems/invalid-request',
        });
      }
    });
  });

  describe('recent search', () => {
    it('matches words and from:, newest first', async () => {
      const result = await client.v2.search('from:ada_builds graphql OR from:ada_builds the', { 'tweet.fields': ['author_id'] });
      const expected = seedTweetsBy('ada_builds').filter((tweet) => lastSevenDays(tweet) && (mentionsWord(tweet.text, 'graphql') || mentionsWord(tweet.text, 'the')));
      expect(expected.length).toBeGreaterThan(1);
      expect(result.tweets.map((tweet) => tweet.id)).toEqual(expected.map((tweet) => tweet.id));
      expect(result.tweets.every((tweet) => tweet.author_id === ADA.id)).toBe(true);
      expect(result.meta).toMatchObject({ result_count: expected.length, newest_id: expected[0]?.id, oldest_id: expected.at(-1)?.id });
      expect(result.meta).not.toHaveProperty('next_token');
    });

    it('searches across accounts, by language, and pages with next_token', async () => {
      const coffee = await client.v2.search('coffee', { max_results: 10 });
      const everyone = SEED_TWITTER_USERS.flatMap((user) => seedTweetsBy(user.username));
      const expected = everyone.filter((tweet) => lastSevenDays(tweet) && mentionsWord(tweet.text, 'coffee')).sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
      while (!coffee.done) await coffee.fetchNext();
      expect(coffee.tweets.map((tweet) => tweet.id)).toEqual(expected.map((tweet) => tweet.id));

      const japanese = await client.v2.search('lang:ja', { 'tweet.fields': ['lang'] });
      expect(japanese.tweets.map((tweet) => tweet.id)).toEqual(seedTweetsBy('hirotanaka').filter((tweet) => lastSevenDays(tweet) && tweet.lang === 'ja').map((tweet) => tweet.id));

      const paged = await client.v2.search('from:dmitri_codes OR from:priyaraman_dev', { max_results: 10 });
      await paged.fetchLast();
      const theirs = [...seedTweetsBy('dmitri_codes'), ...seedTweetsBy('priyaraman_dev')].filter(lastSevenDays).sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
      expect(theirs.length).toBeGreaterThan(10);
      expect(paged.tweets.map((tweet) => tweet.id)).toEqual(theirs.map((tweet) => tweet.id));
    });

    it('understands phrases, OR, negation, is:reply and to:', async () => {
      const ids = async (query: string): Promise<string[]> => (await client.v2.search(query, { max_results: 100 })).tweets.map((tweet) => tweet.id);
      const everyone = SEED_TWITTER_USERS.flatMap((user) => seedTweetsBy(user.username)).filter(lastSevenDays).sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
      const where = (test: (text: string, tweet: (typeof everyone)[number]) => boolean): string[] =>
        everyone.filter((tweet) => test(tweet.text, tweet)).map((tweet) => tweet.id);

      expect(await ids('"schema registry"')).toEqual(where((text) => /schema registry/i.test(text)));
      expect(await ids('graphql OR espresso')).toEqual(where((text) => mentionsWord(text, 'graphql') || mentionsWord(text, 'espresso')));
      expect(await ids('from:ada_builds -graphql -is:reply')).toEqual(
        where((text, tweet) => tweet.authorId === ADA.id && !mentionsWord(text, 'graphql') && !tweet.inReplyTo),
      );
      expect(await ids('to:ada_builds is:reply')).toEqual(where((_, tweet) => tweet.inReplyTo?.userId === ADA.id));
      expect(await ids('to:ada_builds')).toEqual(where((_, tweet) => tweet.inReplyTo?.userId === ADA.id));
    });

    it('refuses max_results below 10 and operators it does not know', async () => {
      const small = await apiErrorOf(client.v2.search('coffee', { max_results: 5 }));
      expect(small.errors).toEqual([{ parameters: { max_results: ['5'] }, message: 'The `max_results` query parameter value [5] is not between 10 and 100' }]);
      const operator = await apiErrorOf(client.v2.search('coffee place:brighton'));
      expect(operator.code).toBe(400);
      expect(JSON.stringify(operator.errors)).toContain("Reference to invalid operator 'place'");
    });
  });

  describe('rate limits', () => {
    // The default tier is Basic: timelines 10 per 15 minutes for the app, search 60, users lookup 300 (and 500 a day).
    it('reports x-rate-limit-* on every answer, counting down per endpoint', async () => {
      const before = Math.floor(Date.now() / 1000);
      const first = await client.v2.userTimeline(ADA.id);
      const second = await client.v2.userTimeline(DMITRI.id);
      expect(first.rateLimit).toEqual({ limit: 10, remaining: 9, reset: expect.any(Number) });
      expect(second.rateLimit).toEqual({ limit: 10, remaining: 8, reset: first.rateLimit.reset });
      expect(first.rateLimit.reset).toBeGreaterThanOrEqual(before + 900);
      expect(first.rateLimit.reset).toBeLessThanOrEqual(before + 902);

      const search = await client.v2.search('coffee');
      expect(search.rateLimit).toMatchObject({ limit: 60, remaining: 59 });
      const lookup = await client.v2.get('users/by', { usernames: 'ada_builds' }, { fullResponse: true });
      expect(lookup.rateLimit).toMatchObject({ limit: 300, remaining: 299 });
      // A 400 is counted and carries the headers too.
      const invalid = await apiErrorOf(client.v2.userTimeline(ADA.id, { max_results: 1 }));
      expect(invalid.rateLimit).toMatchObject({ limit: 10, remaining: 7 });
    });

    it('answers 429 once a window is spent, which the client reports as a rate-limit error', async () => {
      const open = await client.v2.userTimeline(ADA.id);
      emulator.rateLimits.spend('GET /2/users/:id/tweets');

      const error = await apiErrorOf(client.v2.userTimeline(ADA.id));
      expect(error.code).toBe(429);
      expect(error.rateLimitError).toBe(true);
      expect(error.rateLimit).toEqual({ limit: 10, remaining: 0, reset: open.rateLimit.reset });
      expect(error.data).toEqual({ title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });

      // Other endpoints keep their own windows.
      expect((await client.v2.userByUsername('ada_builds')).data.id).toBe(ADA.id);
      emulator.rateLimits.reset();
      expect((await client.v2.userTimeline(ADA.id)).rateLimit.remaining).toBe(9);
    });

    it('is controllable over HTTP for other processes', async () => {
      expect(await control(emulator, 'POST', '/_emulator/rate-limits', { spend: 'GET /2/tweets/search/recent' })).toEqual({ status: 204, json: undefined });
      expect((await apiErrorOf(client.v2.search('coffee'))).code).toBe(429);
      const windows = await control(emulator, 'GET', '/_emulator/rate-limits');
      expect(windows.json).toMatchObject({ 'GET /2/tweets/search/recent': { limit: 60, remaining: 0 } });

      expect((await control(emulator, 'POST', '/_emulator/rate-limits', { spend: 'GET /nowhere' })).status).toBe(400);
      expect((await control(emulator, 'DELETE', '/_emulator/rate-limits')).status).toBe(204);
      expect((await client.v2.search('coffee')).rateLimit.remaining).toBe(59);

      expect((await control(emulator, 'GET', '/_emulator/requests')).json).toEqual({ 'GET /2/tweets/search/recent': 2 });
      expect((await control(emulator, 'DELETE', '/_emulator/requests')).status).toBe(204);
      expect(emulator.requests.count()).toBe(0);
    });
  });

  describe('authentication', () => {
    it('answers 401 for an unknown bearer token, without rate-limit headers', async () => {
      const stranger = twitterClient(emulator, agents, 'not-the-bearer-token');
      const error = await apiErrorOf(stranger.v2.userByUsername('ada_builds'));
      expect(error.code).toBe(401);
      expect(error.isAuthError).toBe(true);
      expect(error.data).toEqual({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
      expect(error.rateLimit).toBeUndefined();
      expect(emulator.requests.byOperation()).toEqual({ 'GET /2/users/by/username/:username': 1 });
    });

    it('refuses to post, or to say who "me" is, with the app-only token', async () => {
      const error = await apiErrorOf(client.v2.tweet('Posting as an app'));
      expect(error.code).toBe(403);
      expect(error.data).toMatchObject({ title: 'Unsupported Authentication', type: 'https://api.twitter.com/2/problems/unsupported-authentication' });
      expect((await apiErrorOf(client.v2.me())).code).toBe(403);
    });

    it('reads as a user with a user token or OAuth 1.0a, and refuses tokens of unknown users', async () => {
      expect((await twitterClient(emulator, agents, userAccessToken(DMITRI.id)).v2.me()).data.username).toBe('dmitri_codes');
      const oauth = twitterClient(emulator, agents, { appKey: 'key', appSecret: 'secret', accessToken: `${HIRO.id}-token`, accessSecret: 'token-secret' });
      expect((await oauth.v2.me()).data.username).toBe('hirotanaka');
      expect((await apiErrorOf(twitterClient(emulator, agents, userAccessToken('123')).v2.me())).code).toBe(401);
      const appOnlyOAuth = twitterClient(emulator, agents, { appKey: 'key', appSecret: 'secret' });
      expect((await apiErrorOf(appOnlyOAuth.v2.userByUsername('ada_builds'))).code).toBe(401);
    });
  });

  describe('posting and deleting', () => {
    it('posts as the user of a user token; the tweet tops the timeline, search and tweet_count', async () => {
      const ada = twitterClient(emulator, agents, userAccessToken(ADA.id));
      const posted = await ada.v2.tweet('Testing the X emulator end to end #emulators');
      expect(posted.data).toEqual({ id: expect.stringMatching(/^\d{19}$/), text: 'Testing the X emulator end to end #emulators', edit_history_tweet_ids: [posted.data.id] });

      const timeline = await client.v2.userTimeline(ADA.id, { 'tweet.fields': ['author_id', 'created_at', 'public_metrics', 'conversation_id'] });
      expect(timeline.tweets[0]).toMatchObject({ id: posted.data.id, author_id: ADA.id, conversation_id: posted.data.id });
      expect(timeline.tweets[0]?.public_metrics).toEqual({ retweet_count: 0, reply_count: 0, like_count: 0, quote_count: 0, bookmark_count: 0, impression_count: 0 });
      expect(Date.parse(timeline.tweets[0]!.created_at!)).toBeGreaterThan(Date.now() - 60_000);
      expect((await client.v2.search('#emulators')).tweets.map((tweet) => tweet.id)).toEqual([posted.data.id]);
      const me = await ada.v2.me({ 'user.fields': ['public_metrics'] });
      expect(me.data.public_metrics?.tweet_count).toBe(ADA.publicMetrics.tweet_count + 1);

      const duplicate = await apiErrorOf(ada.v2.tweet('Testing the X emulator end to end #emulators'));
      expect(duplicate.data).toEqual({ detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', title: 'Forbidden', status: 403 });

      const dmitri = twitterClient(emulator, agents, userAccessToken(DMITRI.id));
      expect((await apiErrorOf(dmitri.v2.deleteTweet(posted.data.id))).code).toBe(403);
      expect(await ada.v2.deleteTweet(posted.data.id)).toEqual({ data: { deleted: true } });
      expect((await client.v2.singleTweet(posted.data.id)).errors?.[0]?.detail).toBe(`Could not find tweet with id: [${posted.data.id}].`);
      expect((await ada.v2.me({ 'user.fields': ['public_metrics'] })).data.public_metrics?.tweet_count).toBe(ADA.publicMetrics.tweet_count);
      expect(emulator.requests.count('POST /2/tweets')).toBe(2);
      expect(emulator.requests.count('DELETE /2/tweets/:id')).toBe(2);
    });

    it('replies in the parent conversation, and accepts OAuth 1.0a user context', async () => {
      const parent = seedTweetsBy('dmitri_codes')[0]!;
      const oauth = twitterClient(emulator, agents, { appKey: 'emulator-app', appSecret: 'secret', accessToken: `${HIRO.id}-emulatortoken`, accessSecret: 'token-secret' });
      const reply = await oauth.v2.reply('Great tip, thank you!', parent.id);
      const { data } = await client.v2.singleTweet(reply.data.id, { 'tweet.fields': ['author_id', 'conversation_id', 'in_reply_to_user_id'] });
      expect(data).toMatchObject({ author_id: HIRO.id, conversation_id: parent.conversationId, in_reply_to_user_id: DMITRI.id });

      const gone = await apiErrorOf(oauth.v2.reply('Hello?', '1'));
      expect(gone.data).toMatchObject({ status: 403, detail: 'You attempted to reply to a Tweet that is deleted or not visible to you.' });
      await oauth.v2.deleteTweet(reply.data.id);
    });

    it('refuses bodies X would refuse', async () => {
      const ada = twitterClient(emulator, agents, userAccessToken(ADA.id));
      expect((await apiErrorOf(ada.v2.tweet({ text: 'x'.repeat(281) }))).data).toMatchObject({ status: 403, detail: 'Tweet needs to be a bit shorter.' });
      const empty = await apiErrorOf(ada.v2.tweet({ text: '' }));
      expect(empty.code).toBe(400);
      const unknown = await apiErrorOf(ada.v2.post('tweets', { text: 'hi', colour: 'blue' }));
      expect(unknown.errors).toEqual([
        { parameters: { colour: ['"blue"'] }, message: '$.colour: is not defined in the schema and the schema does not allow additional properties' },
      ]);
    });
  });

  it('dates posted tweets and rate-limit windows with the clock it is given', async () => {
    const pinned = Date.UTC(2026, 2, 1, 12, 0, 0);
    const clocked = await startTwitterEmulator({ now: () => pinned });
    try {
      const reader = twitterClient(clocked, agents);
      const writer = twitterClient(clocked, agents, userAccessToken(ADA.id));
      const posted = await writer.v2.tweet('Pinned in time');
      const timeline = await reader.v2.userTimeline(ADA.id, { 'tweet.fields': ['created_at'] });
      expect(timeline.tweets[0]).toMatchObject({ id: posted.data.id, created_at: '2026-03-01T12:00:00.000Z' });
      expect(timeline.rateLimit.reset).toBe(pinned / 1000 + 900);
    } finally {
      await clocked.close();
    }
  });
});
