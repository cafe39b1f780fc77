/**
 * The Guild's federation gateway audit (graphql-hive/federation-gateway-audit at f59c05e, vendored in ./suites):
 * 46 suites, 199 tests, run against our gateway on the supergraphs the audit composes (audit-harness.ts).
 * One `describe` per suite with its own subgraphs and gateway; one `it` per test, named `<suite>_<index>`
 * as the audit names them. PUNISH_FOR_POOR_PLANS=1 runs the audit's stricter mode (see README.md).
 * Run: npx vitest run test/federation-audit
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { assertAuditVerdict, loadAuditSuites, sendAuditQuery, startAuditSuite, type RunningSuite } from './audit-harness.ts';

for (const suite of await loadAuditSuites()) {
  describe(suite.id, () => {
    let running: RunningSuite | undefined;
    beforeAll(async () => {
      running = await startAuditSuite(suite);
    });
    afterAll(() => running?.close());

    suite.tests.forEach((test, index) => {
      it(`${suite.id}_${index}`, async () => {
        if (!running) throw new Error(`suite ${suite.id} did not start`);
        assertAuditVerdict(test, await sendAuditQuery(running.url, test.query));
      });
    });
  });
}
