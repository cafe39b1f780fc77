/**
 * `npm run chaos`: the figures of the README's Resilience table. Starts the separate stack (gateway CLI,
 * one process per subgraph and its emulator, a private redis-server), sends the README's viewer query
 * under each fault, prints a Markdown table and writes it to bench/results/chaos-<date>.md.
 * CHAOS_OPERATIONS (default 200) per fault, CHAOS_CONCURRENCY (default 10), CHAOS_FAULTS (words: only the
 * faults whose names contain one), CHAOS_VERBOSE (print one error of each code per fault).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { CHAOS_BOUNDS, runChaos, type ChaosRow } from './chaos.ts';
import { FAULTS } from './faults.ts';
import { hasRedisServer } from './private-redis.ts';

const operations = Number(process.env['CHAOS_OPERATIONS'] ?? 200);
const concurrency = Number(process.env['CHAOS_CONCURRENCY'] ?? 10);
if (!hasRedisServer()) {
  process.stderr.write('chaos: needs the redis-server binary (apt-get install redis-server)\n');
  process.exit(2);
}

const header = [
  '| Fault | Sent | Answered | In time | Complete | Partial | Wrong | No data | Hung | p50 ms | Slowest ms | Upstream calls | Errors by code | Complete again after |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
];
const line = (row: ChaosRow) =>
  `| ${row.fault} | ${row.sent} | ${row.answered} | ${row.withinDeadline} | ${row.verdicts.complete} | ${row.verdicts.partial} | ${row.verdicts.wrong} | ${row.verdicts['no data']} | ${row.hung} | ${row.p50Ms} | ${row.slowestMs} | ${
    Object.entries(row.upstreamCalls).map(([provider, calls]) => `${provider} ${calls}`).join(', ') || '–'
  } | ${Object.entries(row.errorsByCode).map(([code, count]) => `${code} ${count}`).join(', ') || '–'} | ${row.recoveryMs === null ? '–' : `${row.recoveryMs} ms`} |`;

process.stdout.write(`${header.join('\n')}\n`);
// CHAOS_FAULTS: a comma-separated list of words; only the faults whose names contain one of them run.
const only = process.env['CHAOS_FAULTS']?.split(',').map((word) => word.trim().toLowerCase()).filter(Boolean);
const faults = only ? FAULTS.filter((fault) => fault.name === 'none' || only.some((word) => fault.name.toLowerCase().includes(word))) : FAULTS;
const rows = await runChaos({
  operations,
  concurrency,
  faults,
  onRow: (row) => {
    process.stdout.write(`${line(row)}\n`);
    if (process.env['CHAOS_VERBOSE']) process.stdout.write(`${JSON.stringify(row.sampleErrors)}\n`);
  },
});

const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const date = new Date().toISOString().slice(0, 10);
const report = [
  `# Chaos run, ${date} (commit ${commit})`,
  '',
  `\`npm run chaos\`: ${operations} operations per fault, ${concurrency} at a time, the README's viewer query as Ada (all four providers).`,
  `Gateway CLI and one process per subgraph (with its emulator), a private redis-server; bounds: ${Object.entries(CHAOS_BOUNDS).map(([k, v]) => `${k}=${v}`).join(', ')}; caches off (CACHE_TTL_SCALE=0.00001, CACHE_STALE_SECONDS=0), so every operation reaches the providers.`,
  `"In time": answered within GATEWAY_REQUEST_TIMEOUT_MS + 0.5 s. "Wrong": a value unlike the answer before the fault, or a null no error explains. "Upstream calls": requests each emulator received during the fault.`,
  '',
  ...header,
  ...rows.map(line),
  '',
  '| Fault | Promise | What the client saw (up to three distinct errors per code) |',
  '|---|---|---|',
  ...rows.map((row) => `| ${row.fault} | ${row.promise} | ${Object.values(row.sampleErrors).flat().map((sample) => `\`${sample}\``).join('<br>') || '–'} |`),
  '',
].join('\n');
writeFileSync(fileURLToPath(new URL(`../results/chaos-${date}.md`, import.meta.url)), report);
process.stdout.write(`\nwritten to bench/results/chaos-${date}.md\n`);
