import type { IncomingHttpHeaders } from 'node:http';

/**
 * Client headers the gateway passes on to every subgraph request (GATEWAY_FORWARD_HEADERS, the CLI's
 * --forward-header), as Hive Gateway's and Apollo Router's header propagation do: what a foreign subgraph
 * needs to know its caller or tenant. Never these: the gateway sets them itself, or they describe the
 * client's connection and not the operation.
 */
export const UNFORWARDABLE_HEADERS: ReadonlySet<string> = new Set([
  'x-gateway-principal',
  'x-request-id',
  'x-operation-name',
  'traceparent',
  'tracestate',
  'content-type',
  'content-length',
  'accept',
  'accept-encoding',
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'expect',
]);

/** The names that may not be forwarded among `names` (compared in lower case). */
export function unforwardable(names: readonly string[]): string[] {
  return names.filter((name) => UNFORWARDABLE_HEADERS.has(name.toLowerCase()));
}

/** The configured headers the client sent, by lower-case name; undefined when there are none. */
export function forwardedHeaders(headers: IncomingHttpHeaders, names: readonly string[]): Readonly<Record<string, string>> | undefined {
  let picked: Record<string, string> | undefined;
  for (const name of names) {
    const value = headers[name];
    if (value === undefined) continue;
    (picked ??= {})[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return picked;
}

/**
 * What forwarded headers add to a key of answers that may be shared (operation sharing, subgraph requests
 * in flight, the response cache): two requests whose forwarded headers differ may get different answers
 * from a subgraph, so they must never share one. Empty when nothing is forwarded.
 */
export function forwardedKey(forwarded: Readonly<Record<string, string>> | undefined): string {
  return forwarded ? JSON.stringify(Object.entries(forwarded).sort(([a], [b]) => (a < b ? -1 : 1))) : '';
}
