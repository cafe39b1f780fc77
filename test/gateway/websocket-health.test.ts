import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_LIMITS } from '../../gateway/limits.ts';
import { SLOW_CONSUMER_CLOSE } from '../../gateway/transport/websocket.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { collect, wsClient } from '../support/ws-client.ts';

// One gateway pings fast; the other keeps pings slow, so that a client that stops reading is dropped as a
// slow consumer rather than as a silent one.
let pinging: TestGateway;
let buffering: TestGateway;
beforeAll(async () => {
  pinging = await startTestGateway({ limits: { ...DEFAULT_LIMITS, wsKeepAliveMs: 100 } });
  buffering = await startTestGateway({ limits: { ...DEFAULT_LIMITS, wsMaxStallMs: 300 } });
});
afterAll(async () => {
  await pinging?.close();
  await buffering?.close();
});

/** A graphql-ws client spoken by hand, so a test can stop reading or stop answering pings. */
async function rawClient(stack: TestGateway, options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  const socket = new WebSocket(stack.gateway.wsUrl, 'graphql-transport-ws', options);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await new Promise((resolve) => socket.once('message', resolve));
  return socket;
}
const closed = (socket: WebSocket) => new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

describe('WebSocket connections of mobile clients', () => {
  it('are pinged, and dropped when they stop answering, while live ones stay', async () => {
    const silent = await rawClient(pinging, { autoPong: false });
    const live = await rawClient(pinging);
    const code = await closed(silent);
    expect(code).toBe(1006); // terminated: the peer is gone, there is nobody to send a close frame to
    expect(live.readyState).toBe(WebSocket.OPEN);
    live.close();
  });

  it('disconnects a client that does not read (close 1013) without holding up anyone else', async () => {
    const slow = await rawClient(buffering);
    slow.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { flood(count: 3000, size: 4096) }' } }));
    // Stop reading: what the gateway sends now piles up in its socket buffer.
    (slow as unknown as { _socket: { pause(): void } })._socket.pause();
    const slowClosed = closed(slow);

    const other = wsClient(buffering.gateway.wsUrl);
    const events = await collect(other, 'subscription { countdown(from: 3) }');
    expect(events.map((e) => e.data)).toEqual([{ countdown: 3 }, { countdown: 2 }, { countdown: 1 }, { countdown: 0 }]);
    await other.dispose();

    // Still not reading after the stall limit: the gateway closes it; the client sees why once it reads again.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    (slow as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await slowClosed).toBe(SLOW_CONSUMER_CLOSE);
  });
});
