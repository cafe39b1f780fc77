import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { z } from 'zod';

/**
 * Fault injection, shared by every emulator, so a chaos test can make a provider fail reproducibly.
 *
 * Two ways to arm faults, usable together:
 *
 * - A **fault profile** (`FaultProfile`): probabilities drawn from a seeded PRNG (mulberry32), applied to
 *   every request whose counted operation matches `operations` (default: all). The same seed and the same
 *   sequence of matching requests give the same outcomes: each matching request draws exactly eight
 *   numbers, in a fixed order, whatever it ends up doing; requests that do not match draw none.
 * - **One-shot faults** by operation (Stripe's original switch): `failAfterCommit(operation, times)`,
 *   `delay(operation, ms, times)`, `rateLimit(operation, times)`; each disarms itself after `times` requests.
 *
 * Per request, decided in this order (the first that applies wins; draws 1–4):
 *   1. hang       (`hangRate`): never answered; the socket stays open until the client gives up or the
 *                 emulator closes (close() releases it at once).
 *   2. reset      (`resetRate`): the connection is reset (TCP RST) without an answer.
 *   3. rate limit (`rateLimitRate`, or a one-shot `rateLimit`): the provider's throttling answer with
 *                 `Retry-After: retryAfterSeconds` (429 and its rate-limit headers; S3: 503 SlowDown).
 *   4. error      (`errorRate`): the provider's error answer, status drawn from `errorStatuses` (draw 5).
 *   Otherwise the request goes ahead, after `latencyMs` plus uniform 0..`jitterMs` (draw 6; plus a
 *   one-shot `delay`), and gets its real answer (a read's answer is made on arrival and sent once that
 *   time has passed since it arrived, as a provider's own work is inside the time its client sees; a
 *   write waits it out first, then takes effect), unless it is a write chosen for fail-after-commit
 *   (`failAfterCommitRate`, draw 7; or a one-shot `failAfterCommit`): then the write is carried out in
 *   full and its answer replaced by a connection reset or the provider's 500, half and half (draw 8; a
 *   one-shot `failAfterCommit` always resets). Latency therefore only ever precedes a real or
 *   fail-after-commit answer; hangs, resets, throttling and errors answer at once.
 *
 * Requests are counted by the emulators' request counters before any of this, so faulted requests count.
 * Control endpoints (`/_emulator/…`) and the emulators' own webhook deliveries are never faulted.
 */

/** The kinds of fault counted by `injected()`. */
export const FAULT_KINDS = ['hang', 'reset', 'rateLimit', 'error', 'latency', 'failAfterCommit'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const DEFAULT_ERROR_STATUSES: readonly number[] = [500, 502, 503];
export const DEFAULT_FAULT_SEED = 1;
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

const rate = z.number().min(0).max(1);
const milliseconds = z.number().min(0).max(600_000);

/** A fault profile as JSON: the body of `POST /_emulator/faults` and the value of `EMULATOR_FAULTS…`. */
export const faultProfileSchema = z.strictObject({
  seed: z.number().int().optional(),
  latencyMs: milliseconds.optional(),
  jitterMs: milliseconds.optional(),
  errorRate: rate.optional(),
  errorStatuses: z.array(z.number().int().min(400).max(599)).min(1).optional(),
  rateLimitRate: rate.optional(),
  retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
  resetRate: rate.optional(),
  hangRate: rate.optional(),
  failAfterCommitRate: rate.optional(),
  operations: z.array(z.string().min(1)).optional(),
});

export type FaultProfile = z.infer<typeof faultProfileSchema>;

/** A profile with its defaults filled in, as `GET /_emulator/faults` shows it. */
export interface ResolvedFaultProfile {
  seed: number;
  latencyMs: number;
  jitterMs: number;
  errorRate: number;
  errorStatuses: number[];
  rateLimitRate: number;
  retryAfterSeconds: number;
  resetRate: number;
  hangRate: number;
  failAfterCommitRate: number;
  /** Absent: every operation. */
  operations?: string[];
}

const oneShot = z.strictObject({ operation: z.string().min(1), times: z.number().int().min(1).optional() });
const oneShotDelay = oneShot.extend({ ms: milliseconds });

/** `POST /_emulator/faults`: a profile, and/or Stripe's original one-shot faults. */
const controlBodySchema = faultProfileSchema.extend({
  failAfterCommit: oneShot.optional(),
  delay: oneShotDelay.optional(),
  rateLimit: oneShot.optional(),
});

const ONE_SHOT_FIELDS = ['failAfterCommit', 'delay', 'rateLimit'] as const;

/** Thrown for a profile that does not validate; the message names every problem (never the values). */
export class FaultProfileError extends Error {}

/** Validates a profile (unknown fields refused); throws FaultProfileError. */
export function checkFaultProfile(input: unknown, source = 'fault profile'): FaultProfile {
  const parsed = faultProfileSchema.safeParse(input);
  if (!parsed.success) throw new FaultProfileError(`${source}: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

export function resolveFaultProfile(profile: FaultProfile): ResolvedFaultProfile {
  const resolved: ResolvedFaultProfile = {
    seed: profile.seed ?? DEFAULT_FAULT_SEED,
    latencyMs: profile.latencyMs ?? 0,
    jitterMs: profile.jitterMs ?? 0,
    errorRate: profile.errorRate ?? 0,
    errorStatuses: [...(profile.errorStatuses ?? DEFAULT_ERROR_STATUSES)],
    rateLimitRate: profile.rateLimitRate ?? 0,
    retryAfterSeconds: profile.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
    resetRate: profile.resetRate ?? 0,
    hangRate: profile.hangRate ?? 0,
    failAfterCommitRate: profile.failAfterCommitRate ?? 0,
  };
  if (profile.operations !== undefined) resolved.operations = [...profile.operations];
  return resolved;
}

/** The environment variable every emulator reads its start-up profile from. */
export const EMULATOR_FAULTS_VARIABLE = 'EMULATOR_FAULTS';

/**
 * The start-up profile of one emulator (`S3`, `STRIPE`, `GITHUB`, `TWITTER`): `EMULATOR_FAULTS_<NAME>`
 * when set and not blank (it replaces the shared one entirely; `{}` turns faults off for that emulator),
 * else `EMULATOR_FAULTS`, else none. Throws FaultProfileError naming the variable when it is not a valid
 * JSON profile.
 */
export function faultProfileFromEnv(emulator: string, env: Readonly<Record<string, string | undefined>> = process.env): FaultProfile | undefined {
  for (const variable of [`${EMULATOR_FAULTS_VARIABLE}_${emulator.toUpperCase()}`, EMULATOR_FAULTS_VARIABLE]) {
    const text = env[variable]?.trim();
    if (!text) continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new FaultProfileError(`${variable}: expected a JSON fault profile such as {"errorRate":0.1}`);
    }
    return checkFaultProfile(json, variable);
  }
  return undefined;
}

/** mulberry32: a tiny, fast 32-bit PRNG; numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What happens to one request. */
export interface FaultPlan {
  /** What answers instead of the real response; `none`: the request goes ahead. */
  readonly outcome: 'none' | 'hang' | 'reset' | 'rateLimit' | 'error';
  /** The status of an `error` outcome. */
  readonly status: number;
  /** Retry-After of a `rateLimit` outcome. */
  readonly retryAfterSeconds: number;
  /** The profile's latency plus jitter, before the real answer. */
  readonly latencyMs: number;
  /** A one-shot `delay`, before the real answer (Stripe holds it while owning the Idempotency-Key). */
  readonly delayMs: number;
  /** How the answer of a request carried out in full is lost, if it is. */
  readonly afterCommit: 'none' | 'reset' | 'error';
}

export const NO_FAULT: FaultPlan = Object.freeze({ outcome: 'none', status: 0, retryAfterSeconds: 0, latencyMs: 0, delayMs: 0, afterCommit: 'none' });

/** How a provider answers a faulted request, in its own format. */
export interface FaultAnswers {
  /** The provider's error answer with `status` (5xx, or whatever `errorStatuses` lists). */
  error(res: ServerResponse, status: number): void;
  /** The provider's throttling answer, with `Retry-After` and its rate-limit headers. */
  rateLimited(res: ServerResponse, retryAfterSeconds: number): void;
}

export interface FaultSnapshot {
  failAfterCommit: Record<string, number>;
  delay: Record<string, { ms: number; times: number }>;
  rateLimit: Record<string, number>;
}

/** What `GET /_emulator/faults` answers. */
export interface FaultStatus extends FaultSnapshot {
  profile: ResolvedFaultProfile | null;
  /** Requests the profile applied to (its operations matched). */
  matched: number;
  /** Faults injected, by kind, since the profile was set or the faults cleared. */
  injected: Record<FaultKind, number>;
}

/** The programmatic side of an emulator's faults (`emulator.faults`). */
export interface FaultControl {
  /**
   * The next `times` requests of `operation` are carried out in full (state changed, events emitted,
   * idempotent response stored), then their connection is reset without an answer: the "response lost" case.
   */
  failAfterCommit(operation: string, times?: number): void;
  /** Holds the next `times` requests of `operation` this long before carrying them out. */
  delay(operation: string, ms: number, times?: number): void;
  /** The next `times` requests of `operation` get the provider's throttling answer instead. */
  rateLimit(operation: string, times?: number): void;
  /**
   * Sets (replaces) the profile, restarting its PRNG from its seed and zeroing the counters; undefined
   * removes it. Throws FaultProfileError for an invalid one.
   */
  setProfile(profile: FaultProfile | undefined): void;
  profile(): ResolvedFaultProfile | undefined;
  /** Removes the profile and disarms every one-shot fault; zeroes the counters. */
  clear(): void;
  /** One-shot faults still armed, by kind and operation. */
  pending(): FaultSnapshot;
  injected(): Record<FaultKind, number>;
  status(): FaultStatus;
}

/**
 * One emulator's faults. The emulator asks `plan()` once per API request (after counting it), lets
 * `intercept()` answer or delay it, and sends its real answer through `commit()`.
 */
export class FaultInjector implements FaultControl {
  #profile: ResolvedFaultProfile | undefined;
  #random: () => number = mulberry32(DEFAULT_FAULT_SEED);
  #matched = 0;
  #injected = zeroCounts();
  readonly #failAfterCommit = new Map<string, number>();
  readonly #rateLimit = new Map<string, number>();
  readonly #delay = new Map<string, { ms: number; times: number }>();
  readonly #hanging = new Set<Socket>();
  readonly #released = new AbortController();

  constructor(profile?: FaultProfile) {
    if (profile !== undefined) this.setProfile(profile);
  }

  failAfterCommit(operation: string, times = 1): void {
    this.#failAfterCommit.set(operation, checkedTimes(times));
  }

  delay(operation: string, ms: number, times = 1): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`delay must be a non-negative number of ms, got ${ms}`);
    this.#delay.set(operation, { ms, times: checkedTimes(times) });
  }

  rateLimit(operation: string, times = 1): void {
    this.#rateLimit.set(operation, checkedTimes(times));
  }

  setProfile(profile: FaultProfile | undefined): void {
    this.#profile = profile === undefined ? undefined : resolveFaultProfile(checkFaultProfile(profile));
    this.#random = mulberry32(this.#profile?.seed ?? DEFAULT_FAULT_SEED);
    this.#resetCounts();
  }

  profile(): ResolvedFaultProfile | undefined {
    return this.#profile === undefined ? undefined : structuredClone(this.#profile);
  }

  clear(): void {
    this.#failAfterCommit.clear();
    this.#rateLimit.clear();
    this.#delay.clear();
    this.setProfile(undefined);
  }

  pending(): FaultSnapshot {
    return {
      failAfterCommit: Object.fromEntries(this.#failAfterCommit),
      delay: Object.fromEntries([...this.#delay].map(([operation, armed]) => [operation, { ...armed }])),
      rateLimit: Object.fromEntries(this.#rateLimit),
    };
  }

  injected(): Record<FaultKind, number> {
    return { ...this.#injected };
  }

  status(): FaultStatus {
    return { profile: this.profile() ?? null, matched: this.#matched, injected: this.injected(), ...this.pending() };
  }

  /** True when anything is armed: lets an emulator skip work it only does to plan faults. */
  active(): boolean {
    return this.#profile !== undefined || this.#failAfterCommit.size > 0 || this.#rateLimit.size > 0 || this.#delay.size > 0;
  }

  /**
   * Decides the faults of one request, known by its counted operation name(s), e.g. `GET /v1/customers`
   * or, for a GitHub mutation, `POST /graphql` and `mutation addStar`. `write`: the request changes state
   * (only writes are chosen for fail-after-commit by the profile). Call it synchronously when the request
   * arrives, so concurrent requests draw in arrival order.
   */
  plan(operations: string | readonly string[], { write }: { write: boolean }): FaultPlan {
    if (!this.active()) return NO_FAULT;
    const names = typeof operations === 'string' ? [operations] : operations;
    const armedFailAfterCommit = consume(this.#failAfterCommit, names);
    const armedRateLimit = consume(this.#rateLimit, names);
    const armedDelayMs = this.#consumeDelay(names);

    let outcome: FaultPlan['outcome'] = 'none';
    let status = 0;
    let latencyMs = 0;
    let afterCommit: FaultPlan['afterCommit'] = 'none';
    const profile = this.#profile;
    if (profile && (profile.operations === undefined || names.some((name) => profile.operations?.includes(name)))) {
      this.#matched += 1;
      // Always eight draws, in this order, whatever the outcome: the sequence stays aligned across requests.
      const [hang, reset, rateLimit, error, statusPick, jitter, commit, commitMode] = Array.from({ length: 8 }, () => this.#random()) as [
        number, number, number, number, number, number, number, number,
      ];
      if (hang < profile.hangRate) outcome = 'hang';
      else if (reset < profile.resetRate) outcome = 'reset';
      else if (rateLimit < profile.rateLimitRate) outcome = 'rateLimit';
      else if (error < profile.errorRate) {
        outcome = 'error';
        status = profile.errorStatuses[Math.floor(statusPick * profile.errorStatuses.length)] ?? 500;
      }
      latencyMs = profile.latencyMs + Math.round(jitter * profile.jitterMs);
      if (write && commit < profile.failAfterCommitRate) afterCommit = commitMode < 0.5 ? 'reset' : 'error';
    }
    if (armedRateLimit && (outcome === 'none' || outcome === 'error')) outcome = 'rateLimit';
    if (armedFailAfterCommit) afterCommit = 'reset';

    const retryAfterSeconds = profile?.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
    if (outcome !== 'none') {
      this.#injected[outcome] += 1;
      return { outcome, status, retryAfterSeconds, latencyMs: 0, delayMs: 0, afterCommit: 'none' };
    }
    if (latencyMs + armedDelayMs > 0) this.#injected.latency += 1;
    if (afterCommit !== 'none') this.#injected.failAfterCommit += 1;
    return { outcome, status, retryAfterSeconds, latencyMs, delayMs: armedDelayMs, afterCommit };
  }

  /**
   * Carries out a plan's outcome: answers (or hangs, or resets) a faulted request and resolves false, or
   * waits out its latency (and one-shot delay, unless `deferDelay`: the emulator then calls `wait` for it
   * itself) and resolves true: the request goes on to its real answer. False too when the emulator closed
   * meanwhile.
   */
  async intercept(req: IncomingMessage, res: ServerResponse, plan: FaultPlan, answers: FaultAnswers, { deferDelay = false, answerFirst = false } = {}): Promise<boolean> {
    switch (plan.outcome) {
      case 'hang':
        this.#hang(req);
        return false;
      case 'reset':
        resetConnection(req.socket);
        return false;
      case 'rateLimit':
        req.resume(); // drain what the client still sends, so its connection stays usable
        answers.rateLimited(res, plan.retryAfterSeconds);
        return false;
      case 'error':
        req.resume();
        answers.error(res, plan.status);
        return false;
      case 'none': {
        if (answerFirst) return !this.#released.signal.aborted;
        const ms = plan.latencyMs + (deferDelay ? 0 : plan.delayMs);
        return ms > 0 ? this.wait(ms) : !this.#released.signal.aborted;
      }
    }
  }

  /**
   * Sends the answer of a request that was carried out: `send()` itself, or under fail-after-commit a
   * connection reset or the provider's 500 instead.
   */
  commit(req: IncomingMessage, res: ServerResponse, plan: FaultPlan, answers: FaultAnswers, send: () => void): void {
    if (plan.afterCommit === 'reset') resetConnection(req.socket);
    else if (plan.afterCommit === 'error') answers.error(res, 500);
    else send();
  }

  /**
   * For a read intercepted with `answerFirst`: starts its latency (and one-shot delay) at once, to be awaited
   * once its answer is made, so the emulator's own work on it runs inside the latency, as a provider's is
   * inside the time its client sees, not after it. The timer is the one `intercept` would have waited on,
   * started at the same moment. Resolves false when the emulator closed meanwhile.
   */
  due(plan: FaultPlan): Promise<boolean> {
    const ms = plan.latencyMs + plan.delayMs;
    return ms > 0 ? this.wait(ms) : Promise.resolve(!this.#released.signal.aborted);
  }

  /** Waits `ms`; resolves false at once when the emulator closes meanwhile. */
  wait(ms: number): Promise<boolean> {
    const signal = this.#released.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', released);
        resolve(true);
      };
      const released = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', released, { once: true });
    });
  }

  /** For the emulator's close(): drops hanging requests and ends pending waits, so closing never waits on them. */
  close(): void {
    this.#released.abort();
    for (const socket of this.#hanging) socket.destroy();
    this.#hanging.clear();
  }

  #hang(req: IncomingMessage): void {
    const socket = req.socket;
    req.resume(); // read what the client sends; never answer
    if (this.#released.signal.aborted) {
      socket.destroy();
      return;
    }
    this.#hanging.add(socket);
    socket.once('close', () => this.#hanging.delete(socket));
  }

  #consumeDelay(names: readonly string[]): number {
    for (const name of names) {
      const armed = this.#delay.get(name);
      if (!armed) continue;
      if (armed.times <= 1) this.#delay.delete(name);
      else this.#delay.set(name, { ms: armed.ms, times: armed.times - 1 });
      return armed.ms;
    }
    return 0;
  }

  #resetCounts(): void {
    this.#matched = 0;
    this.#injected = zeroCounts();
  }
}

/**
 * Applies a `POST /_emulator/faults` body: profile fields replace the profile (a body with only one-shot
 * fields leaves it as it is; `{}` sets an empty profile, i.e. no profile faults), one-shot fields arm
 * those. Returns what is wrong with the body (unknown fields named), or undefined when applied.
 */
export function applyFaultControlBody(faults: FaultControl, text: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'expected a JSON body: a fault profile such as {"errorRate":0.5,"seed":7}';
  }
  const parsed = controlBodySchema.safeParse(json);
  if (!parsed.success) return describeIssues(parsed.error.issues);
  const { failAfterCommit, delay, rateLimit, ...profile } = parsed.data;
  const oneShots = ONE_SHOT_FIELDS.filter((field) => parsed.data[field] !== undefined);
  if (Object.keys(profile).length > 0 || oneShots.length === 0) faults.setProfile(profile);
  if (failAfterCommit) faults.failAfterCommit(failAfterCommit.operation, failAfterCommit.times);
  if (delay) faults.delay(delay.operation, delay.ms, delay.times);
  if (rateLimit) faults.rateLimit(rateLimit.operation, rateLimit.times);
  return undefined;
}

/**
 * Resets a connection (TCP RST) without answering, as a crashed server or a middlebox would: the client
 * sees ECONNRESET.
 */
export function resetConnection(socket: Socket): void {
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy(); // not a TCP socket, or already closed
  }
}

/** Whole seconds since the epoch, `seconds` from now: the reset time of a rate-limit window. */
export function unixSecondsIn(seconds: number, nowMs: number = Date.now()): number {
  return Math.ceil(nowMs / 1000) + seconds;
}

function consume(budgets: Map<string, number>, names: readonly string[]): boolean {
  for (const name of names) {
    const left = budgets.get(name) ?? 0;
    if (left <= 0) continue;
    if (left === 1) budgets.delete(name);
    else budgets.set(name, left - 1);
    return true;
  }
  return false;
}

function checkedTimes(times: number): number {
  if (!Number.isInteger(times) || times < 1) throw new RangeError(`times must be a positive integer, got ${times}`);
  return times;
}

function zeroCounts(): Record<FaultKind, number> {
  return Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const at = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        const fields = issue.keys.map((key) => (at === '' ? key : `${at}.${key}`));
        return `unknown field${fields.length > 1 ? 's' : ''}: ${fields.join(', ')}`;
      }
      return `${at === '' ? 'body' : at}: ${issue.message}`;
    })
    .join('; ');
}
