/**
 * Stands in for the audit's src/env.ts. The audit loads its own `.env` (PUNISH_FOR_POOR_PLANS=0) from its
 * working directory; ours is this repository's, whose `.env` is not the audit's, so only the variable is read.
 * PUNISH_FOR_POOR_PLANS=1 makes five subgraphs fail entity fetches a good plan does not need.
 */
export function shouldPunishForPoorPlans(): boolean {
  return process.env['PUNISH_FOR_POOR_PLANS'] === '1';
}
