/** Formats benchmark results: the terminal table, the Markdown report and the SVG bar chart. */

export interface LevelResult {
  connections: number;
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
  connections: number[];
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

function rows(scenario: ScenarioResult, connections: number): string[][] {
  const ours = scenario.gateways.find((g) => g.id === OURS);
  const oursLevel = ours?.levels.find((l) => l.connections === connections);
  return scenario.gateways.map((g) => {
    const level = g.levels.find((l) => l.connections === connections);
    if (g.status !== 'ok' || !level) return [g.label, 'failed', ...HEADER.slice(2).map(() => '')];
    return [
      g.label,
      fixed(level.rps),
      level.roundsRps && level.roundsRps.length > 1 ? level.roundsRps.map((r) => fixed(r)).join(' ') : '–',
      fixed(level.p50, 1),
      fixed(level.p95, 1),
      fixed(level.p99, 1),
      String(level.non200),
      String(level.withErrors),
      `${level.mismatches}/${level.sampled}`,
      `${fixed(level.cpu.gateway)}/${fixed(level.cpu.subgraphs + level.cpu.loadGenerator)}`,
      fixed(level.subgraphRequestsPerOp, 1),
      fixed(level.connectionsServed),
      g.peakRssMiB === undefined ? '–' : fixed(g.peakRssMiB),
      g.id === OURS ? '1.00×' : ratio(oursLevel?.rps, level.rps),
    ];
  });
}

const HEADER = ['gateway', 'req/s', 'rounds', 'p50 ms', 'p95 ms', 'p99 ms', 'non-200', 'errors', 'data ≠', 'CPU% gw/c1', 'sub req/op', 'conns served', 'peak RSS MiB', 'ours/this'];

function ceilingLine(scenario: ScenarioResult, connections: number): string {
  const level = (id: string) => scenario.gateways.find((g) => g.id === id)?.levels.find((l) => l.connections === connections);
  const ours = level(OURS);
  const ceiling = level(CEILING);
  return `ours/ceiling: ${ratio(ours?.rps, ceiling?.rps)} of the requests/s of a server that only sends the bytes`;
}

export function formatTable(results: BenchResults): string {
  const out: string[] = [];
  for (const scenario of results.scenarios) {
    for (const connections of results.config.connections) {
      out.push(`\nsubgraph delay ${scenario.delayMs} ms, ${connections} connections, ${results.config.durationS} s:`);
      const table = [HEADER, ...rows(scenario, connections)];
      const widths = HEADER.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
      for (const [index, row] of table.entries()) {
        out.push(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
        if (index === 0) out.push(widths.map((w) => '-'.repeat(w)).join('  '));
      }
      out.push(ceilingLine(scenario, connections));
    }
    for (const failed of scenario.gateways.filter((g) => g.status === 'failed')) out.push(`${failed.label} failed: ${failed.error}`);
  }
  return out.join('\n');
}

export function formatMarkdown(results: BenchResults): string {
  const { machine, config } = results;
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
    `- Warm-up ${config.warmupS} s at ${config.connections[0]} connections, then ${config.connections.map((c) => `${c} connections for ${config.durationS} s`).join(', then ')} (autocannon, keep-alive, no pipelining).`,
    `- ${config.rounds} round${config.rounds === 1 ? '' : 's'}: every gateway runs once per round (a fresh process each time), rounds interleaved, in a rotated order; each row is the round with the median req/s (\`rounds\`: every round's req/s), peak RSS the highest of any round. This machine's CPU speed drifts by tens of percent from one minute to the next, which single runs would report as differences between gateways.`,
    `- Subgraph delay per response: ${config.delaysMs.map((d) => `${d} ms`).join(', ')}. Response: ${config.responseBytes} bytes (review bodies of ${config.reviewBodyChars} characters).`,
    `- Every response is checked for \`errors\`; every ${config.sampleEvery}th body is parsed and its \`data\` compared with the reference (\`data ≠\`: mismatches/sampled).`,
    '- sub req/op: subgraph requests per operation served, counted by the subgraphs (fewer than the query plan needs where a gateway shares identical in-flight subgraph requests between operations).',
    '- conns served: connections that got at least one response during the step. A saturated Node server accepts new connections slowly (they wait in the kernel\'s accept queue), so a step may run with fewer active connections than it opened, and its p99 includes that wait.',
    '- CPU% gw/c1: the gateway\'s CPU use (core 0) / the subgraphs\' plus the load generator\'s (core 1), in % of one core.',
    '- Ours runs authenticated (an HS256 bearer JWT on every request, through `createAuthenticate`/`createTokenVerifier`), with deny-by-default access rules, graphql-armor limits, APQ on a memory store, metrics and audit as `npm run gateway` wires them; rate limiting off. Peers run with their defaults.',
    '',
    '## Results',
  ];
  for (const scenario of results.scenarios) {
    for (const connections of config.connections) {
      lines.push('', `### Subgraph delay ${scenario.delayMs} ms, ${connections} connections`, '');
      lines.push(`| ${HEADER.join(' | ')} |`, `|${HEADER.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
      for (const row of rows(scenario, connections)) lines.push(`| ${row.join(' | ')} |`);
      lines.push('', ceilingLine(scenario, connections));
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

/** Requests/s per gateway, grouped by scenario and concurrency. */
export function formatSvg(results: BenchResults): string {
  const gateways = results.scenarios[0]?.gateways.map((g) => ({ id: g.id, label: g.label })) ?? [];
  const groups = results.scenarios.flatMap((s) =>
    results.config.connections.map((c) => ({
      title: `delay ${s.delayMs} ms · ${c} conn.`,
      values: gateways.map((g) => s.gateways.find((x) => x.id === g.id)?.levels.find((l) => l.connections === c)?.rps ?? 0),
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
  const legendTop = top + plotH + 50;
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
    parts.push(`<text x="${x0 + (gateways.length * (barW + gap)) / 2}" y="${top + plotH + 20}" text-anchor="middle">${escape(group.title)}</text>`);
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
