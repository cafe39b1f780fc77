import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { ApolloClient, gql, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { sign } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { GITHUB_EMULATOR_WEBHOOK_SECRET } from '../../emulators/dev-secrets.ts';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import { useLiveApp } from '../support/live-app.ts';
import { postGraphQL } from '../support/graphql-client.ts';
import { authorization } from '../support/tokens.ts';
import { settle, subscribe } from '../support/ws-client.ts';

const definitions = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];
const starExample = definitions.find((d) => d.name === 'star')!.examples[0]! as { repository: { full_name: string; owner: { login: string } } };

// Ada is the account the emulators' tokens act as, so her token may star and post.
const ada = seedCustomers[0]!;
const adaClaims = { sub: 'ada', scope: 'social:read social:write', github: ada.githubLogin, twitter: ada.twitterUsername };
const REPOSITORY = 'dsokolov/kv-bench';

const live = useLiveApp();
const socket = (claims: Record<string, unknown>) => live.socket(claims);

describe('repositoryEvents, with @apollo/client’s WebSocket link', () => {
  it('sees a star made through the gateway, with the new count, and a real GitHub payload, once each', async () => {
    const ws = await socket({ sub: 'reader', scope: 'social:read' });
    const apollo = new ApolloClient({ link: new GraphQLWsLink(ws), cache: new InMemoryCache() });
    type Event = { repositoryEvents: { id: string; type: string; repository: { nameWithOwner: string; stars: number } | null; sender: { login: string } | null } };
    const received: Event[] = [];
    const other: Event[] = [];
    const watch = (nameWithOwner: string, into: Event[]) =>
      apollo
        .subscribe<Event>({
          query: gql`
            subscription ($nameWithOwner: String!) {
              repositoryEvents(nameWithOwner: $nameWithOwner) { id type repository { nameWithOwner stars } sender { login } }
            }
          `,
          variables: { nameWithOwner },
        })
        .subscribe({ next: (result) => result.data && into.push(result.data) });
    const subscriptions = [watch(REPOSITORY, received), watch('adaokafor/graphql-batchloader', other)];
    await settle(200);

    const starred = await postGraphQL<{ starGitHubRepository: { stars: number } }>(
      live.app.gateway.url,
      `mutation { starGitHubRepository(nameWithOwner: "${REPOSITORY}") { stars } }`,
      undefined,
      await authorization(adaClaims),
    );
    expect(starred.body.errors).toBeUndefined();
    const delivery = randomUUID();
    const payload = { ...starExample, starred_at: new Date().toISOString(), repository: { ...starExample.repository, full_name: REPOSITORY, owner: { ...starExample.repository.owner, login: 'dsokolov' } } };
    const body = JSON.stringify(payload);
    const headers = { 'content-type': 'application/json', 'x-github-event': 'star', 'x-github-delivery': delivery, 'x-hub-signature-256': await sign(GITHUB_EMULATOR_WEBHOOK_SECRET, body) };
    const webhook = `${live.app.gateway.url.replace(/\/graphql$/, '')}/webhooks/github`;
    expect((await fetch(webhook, { method: 'POST', headers, body })).status).toBe(200);
    expect((await fetch(webhook, { method: 'POST', headers, body })).status).toBe(200); // redelivered

    const deadline = Date.now() + 5000;
    while (received.length < 2 && Date.now() < deadline) await settle(20);
    await settle();
    expect(received).toHaveLength(2);
    expect(received[0]!.repositoryEvents).toMatchObject({ type: 'repository.starred', repository: { nameWithOwner: REPOSITORY, stars: starred.body.data!.starGitHubRepository.stars }, sender: { login: ada.githubLogin } });
    expect(received[1]!.repositoryEvents).toMatchObject({ id: delivery, type: 'repository.starred' });
    expect(other).toEqual([]);
    for (const subscription of subscriptions) subscription.unsubscribe();
  });
});

describe('tweetEvents, with the graphql-ws client', () => {
  it('sees a post made through the gateway, with its text and author', async () => {
    const adas = subscribe(await socket({ sub: 'reader', scope: 'social:read' }), 'subscription ($u: String!) { tweetEvents(username: $u) { type tweetId tweet { text } author { username } } }', { u: ada.twitterUsername });
    const someoneElses = subscribe(await socket({ sub: 'reader', scope: 'social:read' }), 'subscription ($u: String!) { tweetEvents(username: $u) { type } }', { u: 'carmenvilla' });
    await settle(200);
    const posted = await postGraphQL<{ postTweet: { id: string } }>(live.app.gateway.url, 'mutation { postTweet(text: "Subscriptions are live") { id } }', undefined, await authorization(adaClaims));
    const [event] = await adas.waitFor(1);
    expect(event!.data).toEqual({ tweetEvents: { type: 'tweet.created', tweetId: posted.body.data!.postTweet.id, tweet: { text: 'Subscriptions are live' }, author: { username: ada.twitterUsername } } });
    await settle();
    expect(someoneElses.results).toEqual([]);
  });
});
