/**
 * Differential suite: our gateway against @apollo/gateway 2.14 on the same Federation v2 subgraphs (harness.ts).
 * 21 cases, 107 operations (one `it` per operation, named `<case>: <operation>`):
 *   entities   simple-key 7, compound-key 3, nested-key 3, chain-abc 4, lists-of-lists 3
 *   directives requires 4, provides-external 4, shareable 4, override 4, inaccessible 8
 *   abstract   interface-entities 4, interface-object 4, unions 5, abstract-fragments 6
 *   errors     resolver-errors 9, subgraph-refuses-request 4, subgraph-down 5
 *   operations mutations 5, aliases 5, skip-include 8, input-variables 8
 * Seven operations compare ours with a documented correct answer where Apollo's is not (`apolloDeviation`).
 * Run: npx vitest run test/differential
 */
import { abstractCases } from './cases/abstract.ts';
import { directiveCases } from './cases/directives.ts';
import { entityCases } from './cases/entities.ts';
import { errorCases } from './cases/errors.ts';
import { operationCases } from './cases/operations.ts';
import { differentialCase } from './harness.ts';

for (const testCase of [...entityCases, ...directiveCases, ...abstractCases, ...errorCases, ...operationCases]) differentialCase(testCase);
