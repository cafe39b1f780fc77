import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { accepts, bannerPorts, hasExited, killAfterTest, run, until, userEnv } from './processes.ts';

/** How soon every port must be closed once the parent is gone (checks every 500 ms, then a clean close). */
const STOPPED_WITHIN_MS = 5_000;

/** The pid of the `node … bin/start.ts` process under `parent` (a child or grandchild), from /proc via ps. */
function startProcessUnder(parent: number): number | undefined {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, pid, ppid, args]) => ({ pid: Number(pid), ppid: Number(ppid), args: args! }));
  const under = new Set([parent]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of table) if (under.has(row.ppid) && !under.has(row.pid)) (under.add(row.pid), (grew = true));
  }
  return table.find((row) => under.has(row.pid) && row.pid !== parent && /node .*bin\/start\.ts/.test(row.args))?.pid;
}

/** Waits until the stack printed its banner; returns the node process's pid and every port it serves. */
async function ready(parent: ReturnType<typeof run>) {
  await parent.waitForOutput(/Press Ctrl-C to stop\./);
  const pid = startProcessUnder(parent.child.pid!);
  if (pid === undefined) throw new Error('no bin/start.ts process under the parent');
  killAfterTest(pid); // whatever happens to the parent, this test kills it in the end
  const ports = bannerPorts(parent.stdout());
  expect(ports.length).toBeGreaterThanOrEqual(9); // the gateway, four subgraphs, four emulators
  for (const port of ports) expect(await accepts(port)).toBe(true);
  return { pid, ports };
}

async function expectStoppedCleanly(pid: number, ports: readonly number[], output: () => string) {
  const since = Date.now();
  await until(async () => !(await Promise.all(ports.map(accepts))).some(Boolean), 'every port of the stack is closed', STOPPED_WITHIN_MS);
  await until(() => hasExited(pid), `process ${pid} exited`, STOPPED_WITHIN_MS);
  expect(Date.now() - since).toBeLessThan(STOPPED_WITHIN_MS);
  // It stopped itself, through its shutdown (not killed): it said why.
  await until(() => output().includes('the parent process is gone; shutting down'), 'it logged why it stopped', 2_000);
}

describe('npm start outlives no parent', () => {
  it('stops cleanly within seconds when its parent is killed with SIGKILL (re-parented)', async () => {
    // A parent as a process manager or a shell script is: it starts the stack in the background and waits.
    const parent = run('sh', ['-c', '"$NODE" --max-semi-space-size=64 --import tsx bin/start.ts & wait'], {
      env: userEnv({ NODE: process.execPath, LOG_LEVEL: 'info' }),
    });
    const { pid, ports } = await ready(parent);

    parent.child.kill('SIGKILL');
    await parent.exited;
    await expectStoppedCleanly(pid, ports, parent.stdout);
  });

  const npm = (() => {
    try {
      execFileSync('npm', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!npm).each(['SIGTERM', 'SIGKILL'] as const)('stops cleanly within seconds when `npm start` is sent %s', async (signal) => {
    // npm runs the script in `sh -c`, which (dash) stays in between: on SIGTERM npm passes the signal to that
    // shell only, which dies and leaves node behind; on SIGKILL npm dies alone and the shell stays.
    const parent = run('npm', ['start'], { env: userEnv({ LOG_LEVEL: 'info' }) });
    const { pid, ports } = await ready(parent);

    parent.child.kill(signal);
    await expectStoppedCleanly(pid, ports, parent.stdout);
  });
});
