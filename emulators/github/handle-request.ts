import { randomBytes } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { NO_FAULT, type FaultAnswers, type FaultInjector } from '../shared/faults.ts';
import { BodyTooLargeError, readBody } from '../shared/read-body.ts';
import type { RecordingRequestCounter } from '../shared/request-counter.ts';
import { sendJson } from '../shared/send-json.ts';
import { checkToken, type Authenticated, type TokenRegistry } from './auth.ts';
import type { GitHubContext, RateLimitReport } from './context.ts';
import { CONTROL_PREFIX, handleControlRequest } from './emulator-control.ts';
import { prepareQuery, runQuery, type PreparedQuery } from './execute-query.ts';
import { graphqlFaultTarget } from './fault-target.ts';
import { githubSchema } from './github-schema.ts';
import type { RateLimitWindow, RateLimitWindows, SecondaryRateLimit } from './rate-limit.ts';
import type { UserRecord } from './records.ts';
import { insufficientScopes } from './scopes.ts';
import type { Store } from './store.ts';
import type { WebhookDelivery, WebhookEndpoint } from './webhook-delivery.ts';
import type { WebhookEvent } from './webhook-events.ts';
import type { OAuthAuthority } from '../shared/oauth-authority.ts';
import { handleGitHubOAuth } from './oauth.ts';

export interface RequestHandlerContext {
  readonly tokens: TokenRegistry;
  /** How injected secondary rate limits are answered (403 or 200). */
  readonly secondaryRateLimit: SecondaryRateLimit;
  readonly store: Store;
  readonly counter: RecordingRequestCounter;
  /** One primary window per user, as GitHub keeps them (the caller's is charged and reported). */
  readonly rateLimits: RateLimitWindows;
  readonly now: () => number;
  readonly webhook: () => WebhookEndpoint | undefined;
  readonly delivery: WebhookDelivery;
  readonly faults: FaultInjector;
  /** The OAuth server (oauth.ts): the web flow, the token endpoint and grant deletion. */
  readonly oauth: OAuthAuthority;
  /** Moves the emulator's clock forward (control endpoint `clock`), so user tokens expire without waiting. */
  advanceClock(seconds: number): void;
}

/** Far above any real GraphQL document; a bigger body is a client bug, not a query. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

const GRAPHQL_PATHS = new Set(['/graphql', '/api/graphql']);

const NOT_FOUND = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' };

/** Headers GitHub sends with every GraphQL answer, besides the rate limit's and the token's scopes. */
const GRAPHQL_HEADERS = {
  'x-github-media-type': 'github.v4; format=json',
  'x-accepted-oauth-scopes': 'repo',
};

/** The emulator's request listener: control endpoints, `POST /graphql`, and GitHub's 404 for the rest. */
export function createRequestHandler(context: RequestHandlerContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    res.setHeader('x-github-request-id', githubRequestId(context.now()));
    handle(req, res, context).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
      } else if (error instanceof BodyTooLargeError) {
        sendGitHubJson(res, 413, { message: 'Payload too large', documentation_url: 'https://docs.github.com/graphql' });
      } else {
        sendGitHubJson(res, 500, { message: 'Server Error', documentation_url: 'https://docs.github.com/graphql' });
      }
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, context: RequestHandlerContext): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path.startsWith(CONTROL_PREFIX)) return handleControlRequest(req, res, context);
  if (req.method === 'POST' && GRAPHQL_PATHS.has(path)) return handleGraphQL(req, res, context);
  if (await handleGitHubOAuth(req, res, context.oauth, context.counter)) return;
  req.resume();
  sendGitHubJson(res, 404, NOT_FOUND);
}

/**
 * One GraphQL request, in GitHub's order: the token, an exhausted window (200 with a `RATE_LIMITED`
 * error), the body, the query's checks (200 with `errors`), the token's scopes (200 with an
 * `INSUFFICIENT_SCOPES` error), then its cost: charged before running, refused like an exhausted window
 * when more than what is left. Webhook events the mutations raised are queued only once the answer is sent.
 *
 * With faults armed, the body is read first: a request's fault operations (`POST /graphql`, plus
 * `mutation addStar`… for each mutation field) and whether it writes (a mutation) come from it.
 */
async function handleGraphQL(req: IncomingMessage, res: ServerResponse, context: RequestHandlerContext): Promise<void> {
  const { counter } = context;
  counter.record('POST /graphql');

  let text: string | undefined;
  let faults = NO_FAULT;
  let due: Promise<boolean> | undefined;
  const answers = faultAnswers(context, () => windowOfRequest(req, context));
  if (context.faults.active()) {
    text = await readBody(req, MAX_BODY_BYTES);
    const target = graphqlFaultTarget(text);
    faults = context.faults.plan(target.operations, { write: target.write });
    // A mutation waits out its latency before it runs; a query's answer is made at once and sent when due.
    if (!(await context.faults.intercept(req, res, faults, answers, { answerFirst: !target.write }))) return;
    if (!target.write) due = context.faults.due(faults);
  }
  /** Every answer from here on: under fail-after-commit, the mutation has run; only its answer is lost. */
  const reply = async (status: number, body: unknown, headers?: Record<string, string>): Promise<void> => {
    if (due && !(await due)) return;
    context.faults.commit(req, res, faults, answers, () => sendGitHubJson(res, status, body, headers));
  };

  const auth = checkToken(req.headers, context.tokens);
  if ('refusal' in auth) {
    req.resume();
    return reply(auth.refusal.status, auth.refusal.body);
  }
  // The token's user is the viewer: a connected user's stars and issues are theirs, their private repositories
  // visible, and their requests spend their own window.
  const viewer = identityOf(auth, context);
  const rateLimit = context.rateLimits.of(viewer.login);
  const headers = () => graphqlHeaders(rateLimit, auth.scopes);
  if (rateLimit.remaining() === 0) {
    req.resume();
    return reply(200, rateLimitedBody(viewer), headers());
  }

  let request: unknown;
  try {
    request = JSON.parse(text ?? (await readBody(req, MAX_BODY_BYTES)));
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw error;
    return reply(400, { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/graphql' }, rateLimit.headers());
  }

  const schema = githubSchema();
  const prepared = prepareQuery(schema, request);
  if ('refused' in prepared) return reply(200, prepared.refused, headers());
  const unscoped = insufficientScopes(prepared.document, prepared.operation, auth.scopes);
  if (unscoped) return reply(200, { errors: [unscoped] }, headers());

  if (!prepared.dryRun) {
    if (prepared.cost.cost > rateLimit.remaining()) return reply(200, rateLimitedBody(viewer), headers());
    rateLimit.spend(prepared.cost.cost);
  }

  const events: WebhookEvent[] = [];
  const body = await runQuery(schema, prepared, executionContext(context, rateLimit, prepared, events, context.store.as(viewer)));
  await reply(200, body, headers());

  const endpoint = context.webhook();
  if (endpoint) for (const event of events) context.delivery.enqueue(event, endpoint);
}

/** Whom a token acts for: a user token's user, else (the emulator's own tokens) the seed's viewer. */
function identityOf(auth: Authenticated, { store }: RequestHandlerContext): UserRecord {
  return (auth.login === undefined ? undefined : store.user(auth.login)) ?? store.viewer;
}

/**
 * The window a request's token spends, read from its headers alone (an injected fault is answered before
 * the token is checked); a token the emulator does not know shows the app's window.
 */
function windowOfRequest(req: IncomingMessage, context: RequestHandlerContext): RateLimitWindow {
  const auth = checkToken(req.headers, context.tokens);
  return context.rateLimits.of('refusal' in auth ? context.store.viewer.login : identityOf(auth, context).login);
}

const SECONDARY_RATE_LIMIT_DOCS = 'https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api#secondary-rate-limits';

/**
 * Injected faults, answered as GitHub answers: `{ message, documentation_url }` with the drawn status, and
 * for a rate-limit fault a *secondary* rate limit as GitHub sends one: 403 (or, when `secondaryRateLimit`
 * says so, 200 with `errors`), a message saying "secondary rate limit", the primary window's own
 * `x-ratelimit-*` headers (the caller's; its remaining quota is usually above 0), and `retry-after` only
 * when the profile's `retryAfterSeconds` is above 0 (GitHub often says nothing: clients are to wait a minute).
 */
function faultAnswers({ secondaryRateLimit }: RequestHandlerContext, rateLimit: () => RateLimitWindow): FaultAnswers {
  return {
    error(res, status) {
      const message = status === 500 ? 'Server Error' : (STATUS_CODES[status] ?? 'Server Error');
      sendGitHubJson(res, status, { message, documentation_url: 'https://docs.github.com/graphql' });
    },
    rateLimited(res, retryAfterSeconds) {
      const requestId = String(res.getHeader('x-github-request-id') ?? '');
      const message =
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
        `If you reach out to GitHub Support for help, please include the request ID ${requestId}.`;
      const headers: Record<string, string> = { ...rateLimit().headers() };
      if (retryAfterSeconds > 0) headers['retry-after'] = String(retryAfterSeconds);
      if (secondaryRateLimit.status === 200) {
        sendGitHubJson(res, 200, { errors: [{ message }] }, { ...GRAPHQL_HEADERS, ...headers });
      } else {
        sendGitHubJson(res, 403, { message, documentation_url: SECONDARY_RATE_LIMIT_DOCS }, headers);
      }
    },
  };
}

function executionContext({ now, counter, webhook }: RequestHandlerContext, rateLimit: RateLimitWindow, query: PreparedQuery, events: WebhookEvent[], store: Store): GitHubContext {
  const report: RateLimitReport = {
    limit: rateLimit.limit,
    cost: query.cost.cost,
    remaining: rateLimit.remaining(),
    used: rateLimit.used(),
    resetAt: isoSeconds(rateLimit.resetAtSeconds() * 1000),
    nodeCount: query.cost.nodeCount,
  };
  return {
    store,
    viewer: store.viewer,
    now: () => isoSeconds(now()),
    rateLimit: report,
    emit(build) {
      // Built at once, so the payload shows the state right after this mutation, not a later one.
      if (webhook()) events.push(build());
    },
    record: (operation) => counter.record(operation),
  };
}

/**
 * The primary rate limit, spent (or short of a query's cost), as GitHub's GraphQL API answers it: HTTP
 * 200, no `data`, one `RATE_LIMITED` error naming the user whose window it is; the window's headers
 * (`x-ratelimit-reset`) say when it refills, and there is no `retry-after`.
 */
function rateLimitedBody(user: UserRecord): unknown {
  return { errors: [{ type: 'RATE_LIMITED', code: 'graphql_rate_limit', message: `API rate limit exceeded for user ID ${user.databaseId}.` }] };
}

/** Every GraphQL answer's headers: the caller's window's, and the scopes the token has (`x-oauth-scopes`). */
function graphqlHeaders(rateLimit: RateLimitWindow, scopes: readonly string[]): Record<string, string> {
  return { ...GRAPHQL_HEADERS, 'x-oauth-scopes': scopes.join(', '), ...rateLimit.headers() };
}

/**
 * GitHub's id of every answer (`X-GitHub-Request-Id`), e.g. `C0DE:1A2B:3C4D5E:6F7A8B:6750A1B2`: colon-separated
 * uppercase hex, the last part the Unix time in seconds.
 */
function githubRequestId(nowMs: number): string {
  const hex = (bytes: number) => randomBytes(bytes).toString('hex').toUpperCase();
  const seconds = Math.floor(nowMs / 1000).toString(16).toUpperCase().padStart(8, '0');
  return `${hex(2)}:${hex(2)}:${hex(3)}:${hex(3)}:${seconds}`;
}

/** GitHub's timestamps: ISO 8601 in UTC, whole seconds. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** GitHub answers JSON as `application/json; charset=utf-8`. */
function sendGitHubJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJson(res, status, body, { contentType: 'application/json; charset=utf-8', headers });
}
