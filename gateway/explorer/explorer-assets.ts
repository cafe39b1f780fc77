import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { RequestHandler } from 'express';
import { onceSucceeded } from '../../kit/once-succeeded.ts';

/**
 * The local explorer's code (GraphiQL and Monaco from @graphql-yoga/render-graphiql, with Monaco's workers):
 * about 9 MB of JSON, served apart from the landing page. The page fetches it only when the local explorer
 * starts (offline, or `?explorer=local`), so a browser that gets Apollo Sandbox never downloads it. Its URL
 * names its content's hash, so browsers keep it for good, and it is gzipped once, not per request.
 */
export interface ExplorerAssets {
  /** The absolute path the page fetches it from (`/explorer/graphiql-<hash>.json`). */
  readonly path: string;
  readonly json: string;
  readonly gzipped: Promise<Buffer>;
}

/** Where the assets are served: one route, whose file name must be the current one. */
export const EXPLORER_ASSETS_ROUTE = '/explorer/:file';

const gzipAsync = promisify(gzip);

/** Built on first use (the page's first render or the first fetch), then the same for the process's life. */
export function lazyExplorerAssets(): () => Promise<ExplorerAssets> {
  return onceSucceeded(buildExplorerAssets);
}

async function buildExplorerAssets(): Promise<ExplorerAssets> {
  const assets = await import('@graphql-yoga/render-graphiql/graphiql');
  const json = JSON.stringify({
    css: assets.css,
    js: assets.js,
    editorWorkerService: assets.editorWorkerService,
    jsonWorker: assets.jsonWorker,
    graphqlWorker: assets.graphqlWorker,
  });
  const hash = createHash('sha256').update(json).digest('hex').slice(0, 16);
  const gzipped = gzipAsync(json);
  // Nothing may be left unhandled if no one ever asks for it gzipped.
  gzipped.catch(() => {});
  return { path: `/explorer/graphiql-${hash}.json`, json, gzipped };
}

/** `GET /explorer/graphiql-<hash>.json`: the assets, gzipped for clients that accept it, cacheable for good. */
export function explorerAssetsRoute(assets: () => Promise<ExplorerAssets>): RequestHandler {
  return async (req, res, next) => {
    try {
      const current = await assets();
      // An older page's hash (or any other name) is not ours: the JSON 404 after every route answers it.
      if (req.path !== current.path) return next();
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      res.setHeader('vary', 'accept-encoding');
      // Without Accept-Encoding, identity: the header's absence does not make gzip acceptable here.
      if (req.headers['accept-encoding'] && req.acceptsEncodings('gzip') === 'gzip') {
        res.setHeader('content-encoding', 'gzip');
        res.end(await current.gzipped);
      } else {
        res.end(current.json);
      }
    } catch (error) {
      next(error);
    }
  };
}
