import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse } from 'graphql';
import type { Logger } from '../kit/logger.ts';
import type { BaseContext, Subgraph } from '../kit/subgraph.ts';
import type { RunningServer } from '../kit/subgraph-server.ts';
import { composeSchemaFolder } from './compose-schema-folder.ts';

/** One subgraph `npm start` serves, as the schema watcher may replace it: its server is restarted on the same port. */
export interface ServedSubgraph {
  readonly name: string;
  readonly subgraph: Subgraph<BaseContext>;
  server: RunningServer;
  /** The SDL it serves now. */
  sdl: string;
}

export interface SchemaWatchDeps {
  readonly folder: URL;
  readonly served: readonly ServedSubgraph[];
  /** Starts a server for this subgraph (the same resolvers, clients and webhooks; new type definitions) on `port`. */
  restart(subgraph: Subgraph<BaseContext>, port: number): Promise<RunningServer>;
  /** Serves the recomposed supergraph (RunningGateway.reload). */
  reload(supergraphSdl: string): Promise<unknown>;
  readonly logger: Logger;
  readonly intervalMs?: number;
}

/**
 * Development: when a `schema/<name>.graphql` changes, recompose; if that works, restart the subgraphs whose
 * SDL changed (on their ports, with the same resolvers, so a field added to the SDL is served, null until it
 * has a resolver) and reload the gateway, whose other subgraphs' subscriptions carry on. A schema that does
 * not compose, or that the subgraph's resolvers do not fit, is reported and nothing changes.
 */
export function watchSchemaFolder(deps: SchemaWatchDeps): { stop(): void } {
  let queue: Promise<void> = Promise.resolve();
  const changed = () => {
    queue = queue.then(() => applySchemaFolder(deps)).catch((error: unknown) => deps.logger.error({ err: error }, 'schema reload failed: still serving the previous schema'));
  };
  const files = deps.served.map(({ name }) => new URL(`${name}.graphql`, deps.folder));
  for (const file of files) watchFile(file, { interval: deps.intervalMs ?? 500, persistent: false }, changed);
  return {
    stop() {
      for (const file of files) unwatchFile(file, changed);
    },
  };
}

/** Recomposes the folder and applies what changed; exported for the watcher's test. */
export async function applySchemaFolder({ folder, served, restart, reload, logger }: SchemaWatchDeps): Promise<void> {
  const composed = composeSchemaFolder(folder);
  if (!composed.ok) {
    logger.warn({ problems: composed.problems }, 'schema/ does not compose: still serving the previous schema');
    return;
  }
  const changes = served.flatMap((entry) => {
    const sdl = readFileSync(new URL(`${entry.name}.graphql`, folder), 'utf8');
    return sdl === entry.sdl ? [] : [{ entry, sdl, subgraph: { ...entry.subgraph, typeDefs: parse(sdl) } }];
  });
  // Checked before anything is stopped: resolvers for a field the new SDL no longer has are refused here.
  for (const { subgraph } of changes) buildSubgraphSchema([{ typeDefs: subgraph.typeDefs, resolvers: subgraph.resolvers as GraphQLResolverMap<unknown> }]);
  for (const { entry, sdl, subgraph } of changes) {
    const port = entry.server.port;
    await entry.server.close();
    entry.server = await restart(subgraph, port);
    entry.sdl = sdl;
  }
  await reload(composed.supergraphSdl);
  logger.info({ restarted: changes.map(({ entry }) => entry.name) }, 'schema/ changed: recomposed and reloaded');
}
