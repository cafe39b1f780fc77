import { describe, expect, it } from 'vitest';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import { seedTwitterEpochMs, SEED_TWITTER_USERS, seedTweets, seedTweetsBy } from '../../emulators/twitter/fixtures/seed.ts';
import { snowflakeTimeMs } from '../../emulators/twitter/snowflake.ts';

describe('X emulator seed', () => {
  it('has one account per seed customer with a twitterUsername, with the same name', () => {
    const expected = seedCustomers.filter((customer) => customer.twitterUsername !== undefined);
    expect(expected).toHaveLength(10);
    expect(SEED_TWITTER_USERS.map((user) => [user.username, user.name, user.customerId])).toEqual(
      expected.map((customer) => [customer.twitterUsername, customer.name, customer.id]),
    );
    expect(new Set(SEED_TWITTER_USERS.map((user) => user.id)).size).toBe(10);
    for (const user of SEED_TWITTER_USERS) {
      expect(user.id).toMatch(/^[1-9]\d{0,18}$/);
      expect(user.username).toMatch(/^[A-Za-z0-9_]{1,15}$/);
      expect(user.description.length).toBeGreaterThan(20);
      expect(Date.parse(user.createdAt)).toBeLessThan(seedTwitterEpochMs());
      // Accounts from the snowflake era carry their creation time in their id.
      if (user.id.length > 12) expect(Math.abs(snowflakeTimeMs(user.id) - Date.parse(user.createdAt))).toBeLessThan(1_000);
      expect(user.publicMetrics.tweet_count).toBeGreaterThanOrEqual(seedTweetsBy(user.username).length);
    }
  });

  it('gives every account 15–40 tweets, newest first, with ids that encode their time', () => {
    for (const user of SEED_TWITTER_USERS) {
      const tweets = seedTweetsBy(user.username);
      expect(tweets.length).toBeGreaterThanOrEqual(15);
      expect(tweets.length).toBeLessThanOrEqual(40);
      expect(new Set(tweets.map((tweet) => tweet.text)).size).toBe(tweets.length); // X refuses duplicates
      for (const tweet of tweets) {
        expect(snowflakeTimeMs(tweet.id)).toBe(Date.parse(tweet.createdAt));
        expect(tweet.text.length).toBeLessThanOrEqual(280);
      }
    }
    const all = seedTweets();
    expect(all).toHaveLength(270);
    const ids = all.map((tweet) => BigInt(tweet.id));
    expect(ids.every((id, index) => index === 0 || id < ids[index - 1]!)).toBe(true);
    expect(Date.parse(all[0]!.createdAt)).toBeLessThan(seedTwitterEpochMs());
  });

  it('makes replies answer an older tweet of another seeded account, in its conversation', () => {
    const byId = new Map(seedTweets().map((tweet) => [tweet.id, tweet]));
    const replies = seedTweets().filter((tweet) => tweet.inReplyTo);
    expect(replies.length).toBeGreaterThanOrEqual(8);
    for (const reply of replies) {
      const parent = byId.get(reply.inReplyTo!.tweetId)!;
      expect(parent.authorId).toBe(reply.inReplyTo!.userId);
      expect(BigInt(parent.id)).toBeLessThan(BigInt(reply.id));
      expect(reply.conversationId).toBe(parent.conversationId);
      const parentAuthor = SEED_TWITTER_USERS.find((user) => user.id === parent.authorId)!;
      expect(reply.text.startsWith(`@${parentAuthor.username} `)).toBe(true);
    }
  });

  it('is fixed data for a given day: the same literal values on every run (dated from midnight UTC of the clock)', () => {
    const clock = Date.UTC(2026, 0, 1, 15, 30);
    expect(seedTwitterEpochMs(clock)).toBe(Date.UTC(2026, 0, 1));
    expect(seedTweetsBy('ada_builds', clock)[0]).toMatchObject({
      id: '2006512945198010368',
      createdAt: '2025-12-31T23:49:00.000Z',
      text: 'Shipped the new schema registry today. Every subgraph now gets a composition check before it can deploy. 🚀',
    });
    expect(SEED_TWITTER_USERS.map((user) => `${user.username}:${user.id}:${seedTweetsBy(user.username).length}`)).toEqual([
      'ada_builds:709308365835735043:34',
      'carmenvilla:392517684:22',
      'dmitri_codes:506875417102499841:40',
      'granitepeakhq:866670905037221888:18',
      'hirotanaka:45930218:27',
      'kwamemensah:663252693322489858:31',
      'lumenstudio:968454675797274624:15',
      'northwindgear:1337241206:25',
      'priyaraman_dev:1156061460335611909:38',
      'saltmarshcoffee:610385925:20',
    ]);
  });
});
