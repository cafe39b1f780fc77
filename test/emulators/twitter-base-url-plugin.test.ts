import { createServer, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TwitterApi, type IGetHttpRequestArgs, type ITwitterApiBeforeRequestConfigHookArgs } from 'twitter-api-v2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { baseUrlPlugin, clientSettingsFor } from '../../subgraphs/twitter/base-url-plugin.ts';

/** Runs the plugin's hook on request parameters alone: the only part of the hook's arguments it reads. */
function rewritten(baseUrl: string, params: IGetHttpRequestArgs): IGetHttpRequestArgs {
  const copy = { ...params };
  const hook = baseUrlPlugin(baseUrl).onBeforeRequestConfig!;
  void hook({ params: copy } as ITwitterApiBeforeRequestConfigHookArgs);
  return copy;
}

describe('baseUrlPlugin', () => {
  let server: Server;
  let baseUrl = '';
  const seen: Array<{ method: string; url: string; authorization: string | undefined }> = [];
  const agents: Agent[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/json', 'x-rate-limit-limit': '300', 'x-rate-limit-remaining': '299', 'x-rate-limit-reset': '1767225600' });
      res.end(JSON.stringify({ data: { id: '1', name: 'Recorded', username: 'recorded' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const agent of agents) agent.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    seen.length = 0;
  });

  const clientAt = (base: string): TwitterApi => {
    const settings = clientSettingsFor(base);
    if (settings.httpAgent) agents.push(settings.httpAgent);
    return new TwitterApi('recording-token', { plugins: [baseUrlPlugin(base)], ...settings });
  };

  it('sends the real client to the base URL with the same path, query and credentials', async () => {
    const client = clientAt(baseUrl);
    const result = await client.v2.userByUsername('ada_builds', { 'user.fields': ['created_at'] });
    await client.v2.userTimeline('709308365835735043', { max_results: 5 });
    await client.v1.get('statuses/show.json', { id: '20' });
    expect(result.data.username).toBe('recorded');
    expect(seen).toEqual([
      { method: 'GET', url: '/2/users/by/username/ada_builds?user.fields=created_at', authorization: 'Bearer recording-token' },
      { method: 'GET', url: '/2/users/709308365835735043/tweets?max_results=5', authorization: 'Bearer recording-token' },
      { method: 'GET', url: '/1.1/statuses/show.json?id=20', authorization: 'Bearer recording-token' },
    ]);
  });

  it('keeps a path prefix of the base URL', async () => {
    await clientAt(`${baseUrl}/proxy/x/`).v2.me();
    expect(seen.map((request) => request.url)).toEqual(['/proxy/x/2/users/me']);
  });

  it('rewrites every X host, keeps the upload body encoding, and leaves other hosts alone', () => {
    expect(rewritten('http://emulator:4010', { url: 'https://api.twitter.com/2/tweets/:id', method: 'GET' }).url).toBe('http://emulator:4010/2/tweets/:id');
    expect(rewritten('http://emulator:4010', { url: 'https://stream.x.com/1.1/statuses/filter.json?track=a', method: 'POST' }).url).toBe(
      'http://emulator:4010/1.1/statuses/filter.json?track=a',
    );
    expect(rewritten('http://emulator:4010', { url: 'https://upload.x.com/1.1/media/upload.json', method: 'POST' })).toMatchObject({
      url: 'http://emulator:4010/1.1/media/upload.json',
      forceBodyMode: 'form-data',
    });
    expect(rewritten('http://emulator:4010', { url: 'https://example.com/2/users', method: 'GET' }).url).toBe('https://example.com/2/users');
  });

  it('gives plain http a keep-alive http.Agent and https nothing, and refuses what is not a base URL', () => {
    const plain = clientSettingsFor('http://127.0.0.1:4010');
    expect(plain.httpAgent).toBeInstanceOf(Agent);
    expect((plain.httpAgent as Agent & { keepAlive: boolean }).keepAlive).toBe(true);
    plain.httpAgent?.destroy();
    expect(clientSettingsFor('https://proxy.example')).toEqual({});
    expect(() => baseUrlPlugin('ftp://example.com')).toThrow(TypeError);
    expect(() => baseUrlPlugin('not a url')).toThrow(TypeError);
  });
});
