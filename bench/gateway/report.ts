/** Formats benchmark results: the terminal table, the Markdown report and the SVG bar chart. */

/**
 * Who sends the requests of a step: `one` caller (the same bearer token on every request, as one busy client
 * would) or a `unique` caller per request (a distinct token, and a distinct `sub`, on every request, so that
 * no gateway can share an in-flight subgraph request between two operations: each gateway forwards the caller
 * to the subgraphs, and the caller is part of every gateway's in-flight key).
 */
export type Callers = 'one' | 'unique';

/** One measured load of a gateway: who calls, over how many connections (1: one request at a time). */
export interface Step {
  callers: Callers;
  connections: number;
}

export const sameStep = (a: Step, b: Step) => a.callers === b.callers && a.connections === b.connections;

export interface LevelResult extends Step {
  durationS: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Responses other than 200, plus connection errors and timeouts. */
  non200: number;
  /** Subgraph requests per operation served (Hive Gateway de-duplicates identical in-flight ones across operations). */
  subgraphRequestsPerOp: number;
  /**
   * Share of the subgraph requests that carried the caller (an `authorization` header, or ours' signed
   * `x-gateway-principal`): every gateway is configured to forward it, so this should be 1.
   */
  callerForwarded: number;
  /** Connections that got at least one response: a saturated Node server accepts new connections slowly. */
  connectionsServed: number;
  /** 200 responses whose body carries `errors`. */
  withErrors: number;
  sampled: number;
  /** Sampled bodies whose `data` differs from the reference. */
  mismatches: number;
  /** CPU use over the level, in % of one core: the gateway (core 0), the subgraphs and the load generator (core 1). */
  cpu: { gateway: number; subgraphs: number; loadGenerator: number };
  /** Requests/s of every round, in run order, when the level is the median of several (rounds.ts). */
  roundsRps?: number[];
}

export interface GatewayResult {
  id: string;
  label: string;
  node: string;
  status: 'ok' | 'failed';
  error?: string;
  levels: LevelResult[];
  peakRssMiB?: number;
}

export interface ScenarioResult {
  delayMs: number;
  gateways: GatewayResult[];
}

export interface Machine {
  date: string;
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
  peerNode?: string;
  pinning: string;
  /** The project's commit the gateway ran from (`+dirty` when gateway/ or subgraphs/ had local changes). */
  commit: string;
}

export interface BenchConfig {
  rounds: number;
  warmupS: number;
  durationS: number;
  /** The throughput concurrencies (each run with every entry of `callers`). */
  connections: number[];
  callers: Callers[];
  /** Every step each gateway runs, in order: the throughput steps, then the single connection (if on). */
  steps: Step[];
  /** Distinct bearer tokens (distinct `sub`) drawn from in order by the `unique` steps. */
  tokenPool: number;
  delaysMs: number[];
  sampleEvery: number;
  responseBytes: number;
  reviewBodyChars: number;
}

export interface BenchResults {
  machine: Machine;
  config: BenchConfig;
  scenarios: ScenarioResult[];
  notes: string[];
}

const OURS = 'ours';
const CEILING = 'ceiling';

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const ratio = (a: number | undefined, b: number | undefined) => (a && b ? `${(a / b).toFixed(a / b < 0.1 ? 3 : 2)}×` : '–');

/** A single connection: one request at a time, a latency measurement; every other step is a throughput one. */
const isLatencyStep = (step: Step) => step.connections === 1;

export function stepTitle(step: Step, config: Pick<BenchConfig, 'durationS' | 'tokenPool'>): string {
  const callers = step.callers === 'one' ? 'one caller (the same token on every request)' : `a unique caller per request (distinct tokens from a pool of ${config.tokenPool})`;
  const load = isLatencyStep(step) ? 'a single connection, one request at a time' : `${step.connections} connections`;
  return `${load}, ${callers}, ${config.durationS} s`;
}

const levelOf = (g: GatewayResult | undefined, step: Step) => g?.levels.find((l) => sameStep(l, step));

/** Throughput: req/s first, ratios of req/s. */
const HEADER = ['gateway', 'req/s', 'rounds', 'p50 ms', 'p95 ms', 'p99 ms', 'non-200', 'errors', 'data ≠', 'CPU% gw/c1', 'sub req/op', 'caller fwd', 'conns served', 'peak RSS MiB', 'ours/this', 'this/ceiling'];
/** A single connection: latency first, ratios of p50 latency. */
const LATENCY_HEADER = ['gateway', 'p50 ms', 'p95 ms', 'p99 ms', 'req/s', 'rounds', 'non-200', 'errors', 'data ≠', 'CPU% gw/c1', 'sub req/op', 'caller fwd', 'peak RSS MiB', 'p50 ours/this', 'p50 this/ceiling'];

function headerOf(step: Step): string[] {
  return isLatencyStep(step) ? LATENCY_HEADER : HEADER;
}

function rows(scenario: ScenarioResult, step: Step): string[][] {
  const header = headerOf(step);
  const oursLevel = levelOf(scenario.gateways.find((g) => g.id === OURS), step);
  const ceilingLevel = levelOf(scenario.gateways.find((g) => g.id === CEILING), step);
  return scenario.gateways.map((g) => {
    const level = levelOf(g, step);
    if (g.status !== 'ok' || !level) return [g.label, 'failed', ...header.slice(2).map(() => '')];
    const rounds = level.roundsRps && level.roundsRps.length > 1 ? level.roundsRps.map((r) => fixed(r)).join(' ') : '–';
    const checks = [String(level.non200), String(level.withErrors), `${level.mismatches}/${level.sampled}`, `${fixed(level.cpu.gateway)}/${fixed(level.cpu.subgraphs + level.cpu.loadGenerator)}`, fixed(level.subgraphRequestsPerOp, 1), level.subgraphRequestsPerOp > 0 ? `${fixed(100 * level.callerForwarded)}%` : '–'];
    const peak = g.peakRssMiB === undefined ? '–' : fixed(g.peakRssMiB);
    if (isLatencyStep(step)) {
      return [g.label, fixed(level.p50, 2), fixed(level.p95, 2), fixed(level.p99, 2), fixed(level.rps), rounds, ...checks, peak, g.id === OURS ? '1.00×' : ratio(oursLevel?.p50, level.p50), ratio(level.p50, ceilingLevel?.p50)];
    }
    return [g.label, fixed(level.rps), rounds, fixed(level.p50, 1), fixed(level.p95, 1), fixed(level.p99, 1), ...checks, fixed(level.connectionsServed), peak, g.id === OURS ? '1.00×' : ratio(oursLevel?.rps, level.rps), ratio(level.rps, ceilingLevel?.rps)];
  });
}

function ceilingLine(scenario: ScenarioResult, step: Step): string {
  const level = (id: string) => levelOf(scenario.gateways.find((g) => g.id === id), step);
  const ours = level(OURS);
  const ceiling = level(CEILING);
  if (isLatencyStep(step)) {
    return `ours/ceiling: ${ratio(ours?.p50, ceiling?.p50)} the p50 latency of a server that only sends the bytes (ours ${fixed(ours?.p50 ?? NaN, 2)} ms, p99 ${fixed(ours?.p99 ?? NaN, 2)} ms; ceiling ${fixed(ceiling?.p50 ?? NaN, 2)} ms)`;
  }
  return `ours/ceiling: ${ratio(ours?.rps, ceiling?.rps)} of the requests/s of a server that only sends the bytes`;
}

const scenarioTitle = (scenario: ScenarioResult, step: Step, config: BenchConfig) => `subgraph delay ${scenario.delayMs} ms · ${stepTitle(step, config)}`;

export function formatTable(results: BenchResults): string {
  const out: string[] = [];
  for (const scenario of results.scenarios) {
    for (const step of results.config.steps) {
      out.push(`\n${scenarioTitle(scenario, step, results.config)}:`);
      const header = headerOf(step);
      const table = [header, ...rows(scenario, step)];
      const widths = header.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
      for (const [index, row] of table.entries()) {
        out.push(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
        if (index === 0) out.push(widths.map((w) => '-'.repeat(w)).join('  '));
      }
      out.push(ceilingLine(scenario, step));
    }
    for (const failed of scenario.gateways.filter((g) => g.status === 'failed')) out.push(`${failed.label} failed: ${failed.error}`);
  }
  return out.join('\n');
}

export function formatMarkdown(results: BenchResults): string {
  const { machine, config } = results;
  const throughput = config.steps.filter((s) => !isLatencyStep(s));
  const latency = config.steps.filter(isLatencyStep);
  const lines = [
    `# Gateway benchmark, ${machine.date}`,
    '',
    'Deep query of the public federation gateways benchmark (accounts, inventory, products, reviews) through each',
    'gateway, one at a time, on the same supergraph (composed by `gateway/compose`). Produced by `npm run bench:gateway`.',
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpuModel}, \`nproc\` ${machine.nproc}; memory ${machine.memoryGiB} GiB; kernel ${machine.kernel}`,
    `- Node: ${machine.node}${machine.peerNode ? ` (some peers on ${machine.peerNode}: see Notes)` : ''}`,
    `- Pinning: ${machine.pinning}`,
    `- Commit: ${machine.commit}`,
    '',
    '## Setup',
    '',
    `- Each gateway process: a warm-up of ${config.warmupS} s at ${config.connections[0]} connections (one caller), then these steps of ${config.durationS} s each, in order (autocannon, keep-alive, no pipelining): ${config.steps.map((s) => stepTitle(s, config).replace(`, ${config.durationS} s`, '')).join('; ')}.`,
    ...(config.callers.includes('unique')
      ? [`- Unique caller per request: every request carries a distinct HS256 bearer token (distinct \`sub\`, drawn in order from a pool of ${config.tokenPool} signed before the run; each gateway process starts at the pool's beginning). Every gateway forwards the caller to the subgraphs (ours signs it into \`x-gateway-principal\`; @apollo/gateway and Hive Gateway copy \`authorization\`), and the caller is part of every gateway's in-flight de-duplication key, so no subgraph request is shared between operations. \`caller fwd\`: the share of subgraph requests that carried it.`]
      : []),
    ...(latency.length > 0 ? ['- Single connection: one connection, one request at a time: a latency measurement (p50/p99, and ratios of p50 latency), not a throughput one.'] : []),
    `- ${config.rounds} round${config.rounds === 1 ? '' : 's'}: every gateway runs once per round (a fresh process each time), rounds interleaved, in a rotated order; each row is the round with the median req/s (\`rounds\`: every round's req/s), peak RSS the highest of any round (over all of a process's steps). This machine's CPU speed drifts by tens of percent from one minute to the next, which single runs would report as differences between gateways.`,
    `- Subgraph delay per response: ${config.delaysMs.map((d) => `${d} ms`).join(', ')}. Response: ${config.responseBytes} bytes (review bodies of ${config.reviewBodyChars} characters).`,
    `- Every response is checked for \`errors\`; every ${config.sampleEvery}th body is parsed and its \`data\` compared with the reference (\`data ≠\`: mismatches/sampled).`,
    '- sub req/op: subgraph requests per operation served, counted by the subgraphs (fewer than the query plan needs where a gateway shares identical in-flight subgraph requests between operations, which only one caller allows).',
    '- conns served: connections that got at least one response during the step. A saturated Node server accepts new connections slowly (they wait in the kernel\'s accept queue), so a step may run with fewer active connections than it opened, and its p99 includes that wait.',
    '- CPU% gw/c1: the gateway\'s CPU use (core 0) / the subgraphs\' plus the load generator\'s (core 1), in % of one core.',
    '- ours/this, this/ceiling: ratios of req/s (throughput steps) or of p50 latency (single connection); the ours row\'s this/ceiling is ours/ceiling.',
    '- Ours runs authenticated (an HS256 bearer JWT on every request, through `createAuthenticate`/`createTokenVerifier`), with deny-by-default access rules, the operation limits (graphql-armor for depth, aliases and directives; our cost estimate), APQ on a memory store, metrics and audit as `npm run gateway` wires them; rate limiting off. Peers run with their defaults, plus forwarding the client\'s `authorization` header to the subgraphs.',
    '',
    '## Results',
  ];
  for (const scenario of results.scenarios) {
    for (const step of [...throughput, ...latency]) {
      const header = headerOf(step);
      lines.push('', `### Subgraph delay ${scenario.delayMs} ms · ${stepTitle(step, config)}`, '');
      lines.push(`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
      for (const row of rows(scenario, step)) lines.push(`| ${row.join(' | ')} |`);
      lines.push('', ceilingLine(scenario, step));
    }
    for (const failed of scenario.gateways.filter((g) => g.status === 'failed')) lines.push('', `**${failed.label} failed:** ${failed.error}`);
  }
  lines.push('', '## Gateways', '');
  for (const g of results.scenarios[0]?.gateways ?? []) lines.push(`- ${g.label}: Node ${g.node}`);
  if (results.notes.length > 0) lines.push('', '## Notes', '', ...results.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#7f7f7f', '#8c564b'];
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Requests/s per gateway, grouped by scenario and throughput step (the single connection, a latency step, is left out). */
export function formatSvg(results: BenchResults): string {
  const gateways = results.scenarios[0]?.gateways.map((g) => ({ id: g.id, label: g.label })) ?? [];
  const groups = results.scenarios.flatMap((s) =>
    results.config.steps
      .filter((step) => !isLatencyStep(step))
      .map((step) => ({
        title: `delay ${s.delayMs} ms · ${step.connections} conn.`,
        subtitle: step.callers === 'unique' ? 'unique callers' : 'one caller',
        values: gateways.map((g) => levelOf(s.gateways.find((x) => x.id === g.id), step)?.rps ?? 0),
      })),
  );
  // The ceiling is two orders of magnitude above the gateways: the axis fits the gateways, and taller bars
  // are cut at the top (a white break across them) with their value written above.
  const ceilingIndex = gateways.findIndex((g) => g.id === CEILING);
  const max = Math.max(1, ...groups.flatMap((g) => g.values.filter((_, i) => i !== ceilingIndex))) * 1.15;
  const barW = 26;
  const gap = 6;
  const groupW = gateways.length * (barW + gap) + 40;
  const left = 70;
  const top = 50;
  const plotH = 300;
  const width = left + groups.length * groupW + 20;
  const legendTop = top + plotH + 60;
  const height = legendTop + gateways.length * 20 + 20;
  const tick = niceStep(max / 5);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="24" font-size="15" font-weight="bold">Requests/s, deep query (${escape(results.machine.date)}, commit ${escape(results.machine.commit ?? '?')}, ${results.machine.nproc} cores, Node ${escape(results.machine.node)})</text>`,
  ];
  for (let v = 0; v <= max; v += tick) {
    const y = top + plotH - (v / max) * plotH;
    parts.push(`<line x1="${left}" x2="${width - 20}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#e5e5e5"/>`, `<text x="${left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${v}</text>`);
  }
  groups.forEach((group, gi) => {
    const x0 = left + gi * groupW + 20;
    group.values.forEach((value, i) => {
      const cut = value > max;
      const h = (Math.min(value, max) / max) * plotH;
      const x = x0 + i * (barW + gap);
      const y = top + plotH - h;
      parts.push(`<rect x="${x}" y="${y.toFixed(1)}" width="${barW}" height="${h.toFixed(1)}" fill="${COLORS[i % COLORS.length]}"><title>${escape(gateways[i]!.label)}: ${value.toFixed(0)} req/s</title></rect>`);
      if (cut) parts.push(`<path d="M${x - 2} ${y + 22} L${x + barW + 2} ${y + 14} M${x - 2} ${y + 28} L${x + barW + 2} ${y + 20}" stroke="#fff" stroke-width="3"/>`);
      parts.push(`<text x="${x + barW / 2}" y="${(y - 4).toFixed(1)}" text-anchor="middle" font-size="10">${value ? `${value.toFixed(0)}${cut ? '↑' : ''}` : 'n/a'}</text>`);
    });
    const center = x0 + (gateways.length * (barW + gap)) / 2;
    parts.push(`<text x="${center}" y="${top + plotH + 20}" text-anchor="middle">${escape(group.title)}</text>`, `<text x="${center}" y="${top + plotH + 35}" text-anchor="middle" font-size="11">${escape(group.subtitle)}</text>`);
  });
  parts.push(`<line x1="${left}" x2="${width - 20}" y1="${top + plotH}" y2="${top + plotH}" stroke="#333"/>`);
  gateways.forEach((g, i) => {
    const y = legendTop + i * 20;
    parts.push(`<rect x="${left}" y="${y - 10}" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>`, `<text x="${left + 18}" y="${y}">${escape(g.label)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  const fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}
