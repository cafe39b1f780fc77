import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphql } from '@octokit/graphql';
import { verify } from '@octokit/webhooks-methods';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GITHUB_SEED } from '../../emulators/github/fixtures/seed.ts';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.ts';

const SECRET = 'github-emulator-test-secret';
const NOW = Date.parse('2026-04-01T08:30:00Z');

interface Delivery {
  body: string;
  headers: IncomingHttpHeaders;
}

/** A webhook endpoint that records deliveries and answers with the status `respond` picks. */
class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  respond: (attempt: number) => number = () => 204;
  url = '';
  readonly #server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.deliveries.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(this.respond(this.deliveries.length)).end();
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/webhooks/github`;
    return this;
  }

  reset(): void {
    this.deliveries.length = 0;
    this.respond = () => 204;
  }

  payloads(): Record<string, unknown>[] {
    return this.deliveries.map((delivery) => JSON.parse(delivery.body) as Record<string, unknown>);
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

async function eventually(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const ADD_STAR = `mutation Star($id: ID!) {
  addStar(input: { starrableId: $id, clientMutationId: "star-1" }) {
    clientMutationId
    starrable { ... on Repository { nameWithOwner stargazerCount viewerHasStarred } }
  }
}`;

const REMOVE_STAR = `mutation Unstar($id: ID!) {
  removeStar(input: { starrableId: $id }) { starrable { ... on Repository { stargazerCount viewerHasStarred } } }
}`;

describe('GitHub emulator: mutations and signed webhooks', () => {
  let receiver: WebhookReceiver;
  let emulator: GitHubEmulator;
  let gql: typeof graphql;
  const extraEmulators: GitHubEmulator[] = [];
  const extraServers: Server[] = [];

  const repositoryId = async (owner: string, name: string): Promise<string> =>
    (await gql<{ repository: { id: string } }>('query Id($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { id } }', { owner, name })).repository.id;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    emulator = await startGitHubEmulator({ webhook: { url: receiver.url, secret: SECRET }, now: () => NOW });
    gql = graphql.defaults({ baseUrl: emulator.url, headers: { authorization: `token ${emulator.token}` } });
  });

  afterEach(() => {
    emulator.setWebhook({ url: receiver.url, secret: SECRET });
    receiver.reset();
  });

  afterAll(async () => {
    await Promise.all([emulator?.close(), ...extraEmulators.map((extra) => extra.close())]);
    await Promise.all(extraServers.map((server) => new Promise((resolve) => server.close(resolve))));
    await receiver?.close();
  });

  it('stars a repository and delivers a signed `star` event shaped like GitHub’s', async () => {
    const seeded = GITHUB_SEED.repositories.find((repository) => repository.owner === 'ilarsen' && repository.name === 'fjord-weather')!;
    const id = await repositoryId('ilarsen', 'fjord-weather');

    const result = await gql<{ addStar: unknown }>(ADD_STAR, { id });

    expect(result.addStar).toEqual({
      clientMutationId: 'star-1',
      starrable: { nameWithOwner: 'ilarsen/fjord-weather', stargazerCount: seeded.stars + 1, viewerHasStarred: true },
    });
    await eventually(() => receiver.deliveries.length === 1, 'the star webhook');
    const [delivery] = receiver.deliveries;
    expect(delivery!.headers).toMatchObject({
      'x-github-event': 'star',
      'x-github-delivery': expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      'x-github-hook-id': expect.stringMatching(/^\d+$/),
      'x-github-hook-installation-target-type': 'repository',
      'x-github-hook-installation-target-id': String(seeded.databaseId),
      'user-agent': expect.stringMatching(/^GitHub-Hookshot\//),
      'content-type': 'application/json',
      'x-hub-signature-256': expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
    });
    await expect(verify(SECRET, delivery!.body, delivery!.headers['x-hub-signature-256'] as string)).resolves.toBe(true);
    await expect(verify('some-other-secret', delivery!.body, delivery!.headers['x-hub-signature-256'] as string)).resolves.toBe(false);

    const payload = JSON.parse(delivery!.body) as {
      action: string;
      starred_at: string;
      repository: Record<string, unknown> & { owner: Record<string, unknown> };
      sender: Record<string, unknown>;
    };
    expect(Object.keys(payload)).toEqual(['action', 'starred_at', 'repository', 'sender']);
    expect(payload).toMatchObject({ action: 'created', starred_at: '2026-04-01T08:30:00Z' });
    expect(payload.repository).toMatchObject({
      id: seeded.databaseId,
      node_id: id,
      name: 'fjord-weather',
      full_name: 'ilarsen/fjord-weather',
      private: false,
      html_url: 'https://github.com/ilarsen/fjord-weather',
      url: 'https://api.github.com/repos/ilarsen/fjord-weather',
      stargazers_count: seeded.stars + 1,
      forks_count: seeded.forks,
      language: 'Kotlin',
      topics: seeded.topics,
      owner: { login: 'ilarsen', type: 'User', html_url: 'https://github.com/ilarsen' },
    });
    expect(payload.sender).toMatchObject({ login: GITHUB_SEED.viewerLogin, type: 'User', avatar_url: `https://avatars.githubusercontent.com/u/${GITHUB_SEED.users[0]!.databaseId}?v=4` });
    // Re-filled from the real example: none of the example's names survive.
    expect(delivery!.body).not.toMatch(/Codertocat|Hello-World/);
  });

  it('unstars with a `star` deleted event, and stars only once', async () => {
    const id = await repositoryId('kmensah', 'ex-ratelimit');
    await gql(ADD_STAR, { id });
    const again = await gql<{ addStar: { starrable: { stargazerCount: number } } }>(ADD_STAR, { id });
    const removed = await gql<{ removeStar: { starrable: { stargazerCount: number; viewerHasStarred: boolean } } }>(REMOVE_STAR, { id });

    expect(removed.removeStar.starrable).toEqual({ stargazerCount: again.addStar.starrable.stargazerCount - 1, viewerHasStarred: false });
    await eventually(() => receiver.deliveries.length === 2, 'the created and deleted events');
    expect(receiver.payloads().map((payload) => [payload['action'], payload['starred_at']])).toEqual([
      ['created', '2026-04-01T08:30:00Z'],
      ['deleted', null],
    ]);
  });

  it('opens an issue and delivers an `issues` opened event, with the organization for org repositories', async () => {
    const id = await repositoryId('open-ledger', 'ledger-core');
    const result = await gql<{ createIssue: { issue: { number: number; title: string; state: string; url: string; createdAt: string; author: { login: string }; repository: { nameWithOwner: string } } } }>(
      `mutation Open($id: ID!, $title: String!, $body: String) {
        createIssue(input: { repositoryId: $id, title: $title, body: $body }) {
          issue { number title state url createdAt author { login } repository { nameWithOwner } }
        }
      }`,
      { id, title: 'Export ledgers as CSV', body: 'For the accountants.' },
    );
    const seededNumbers = GITHUB_SEED.repositories.find((repository) => repository.name === 'ledger-core')!.issues.map((issue) => issue.number);
    const number = Math.max(...seededNumbers) + 1;

    expect(result.createIssue.issue).toEqual({
      number,
      title: 'Export ledgers as CSV',
      state: 'OPEN',
      url: `https://github.com/open-ledger/ledger-core/issues/${number}`,
      createdAt: '2026-04-01T08:30:00Z',
      author: { login: GITHUB_SEED.viewerLogin },
      repository: { nameWithOwner: 'open-ledger/ledger-core' },
    });
    const listed = await gql<{ repository: { issues: { nodes: { number: number }[] } } }>(
      '{ repository(owner: "open-ledger", name: "ledger-core") { issues(states: OPEN, last: 1) { nodes { number } } } }',
    );
    expect(listed.repository.issues.nodes).toEqual([{ number }]);

    await eventually(() => receiver.deliveries.length === 1, 'the issues webhook');
    const [delivery] = receiver.deliveries;
    expect(delivery!.headers['x-github-event']).toBe('issues');
    await expect(verify(SECRET, delivery!.body, delivery!.headers['x-hub-signature-256'] as string)).resolves.toBe(true);
    const payload = JSON.parse(delivery!.body) as Record<string, Record<string, unknown>>;
    expect(Object.keys(payload)).toEqual(['action', 'issue', 'repository', 'organization', 'sender']);
    expect(payload['issue']).toMatchObject({
      number,
      title: 'Export ledgers as CSV',
      body: 'For the accountants.',
      state: 'open',
      html_url: `https://github.com/open-ledger/ledger-core/issues/${number}`,
      url: `https://api.github.com/repos/open-ledger/ledger-core/issues/${number}`,
      user: { login: GITHUB_SEED.viewerLogin },
      author_association: 'MEMBER',
      labels: [],
    });
    expect(payload['organization']).toMatchObject({ login: 'open-ledger', url: 'https://api.github.com/orgs/open-ledger' });
    expect(payload['repository']).toMatchObject({ full_name: 'open-ledger/ledger-core', owner: { login: 'open-ledger', type: 'Organization' } });
    expect(delivery!.body).not.toMatch(/Codertocat|Hello-World|Octocoders/);
  });

  it('refuses an issue on an archived repository and an unknown repository id', async () => {
    const archived = await repositoryId('tidewater-labs', 'carbon-api');
    await expect(
      gql('mutation($id: ID!) { createIssue(input: { repositoryId: $id, title: "Hi" }) { issue { number } } }', { id: archived }),
    ).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'UNPROCESSABLE', message: 'Repository was archived so is read-only.' })] });
    await expect(gql(ADD_STAR, { id: 'R_kgDOAAAAAQ' })).rejects.toMatchObject({
      data: { addStar: null },
      errors: [expect.objectContaining({ type: 'NOT_FOUND', path: ['addStar'] })],
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.deliveries).toHaveLength(0);
  });

  it('retries a failed delivery a bounded number of times with the same delivery id', async () => {
    receiver.respond = (attempt) => (attempt < 3 ? 500 : 204);
    await gql(ADD_STAR, { id: await repositoryId('twhitfield', 'accessible-forms') });

    await eventually(() => receiver.deliveries.length === 3, 'three attempts');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(receiver.deliveries).toHaveLength(3);
    expect(new Set(receiver.deliveries.map((delivery) => delivery.headers['x-github-delivery'])).size).toBe(1);
  });

  it('sends nothing once the webhook is removed', async () => {
    emulator.setWebhook(undefined);
    await gql(ADD_STAR, { id: await repositoryId('rafasouza', 'react-hooks-br') });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.deliveries).toHaveLength(0);
  });

  it('closes promptly when the webhook target is gone or never answers', async () => {
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const gonePort = (gone.address() as AddressInfo).port;
    await new Promise((resolve) => gone.close(resolve));

    const silent = createServer(() => {
      /* accepts the request and never answers */
    });
    extraServers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as AddressInfo).port;

    for (const url of [`http://127.0.0.1:${gonePort}/hook`, `http://127.0.0.1:${silentPort}/hook`]) {
      const extra = await startGitHubEmulator({ webhook: { url, secret: SECRET } });
      extraEmulators.push(extra);
      const client = graphql.defaults({ baseUrl: extra.url, headers: { authorization: `token ${extra.token}` } });
      const { repository } = await client<{ repository: { id: string } }>('{ repository(owner: "farahh", name: "tiny-etl") { id } }');
      await client(ADD_STAR, { id: repository.id });

      const started = Date.now();
      await extra.close();
      expect(Date.now() - started).toBeLessThan(2_500);
    }
    silent.closeAllConnections();
  });
});
