import { forbidden, scopeAndOwnership, unauthenticated, type AccessRule } from './access.ts';
import { isAdmin, type Caller, type Principal } from './principal.ts';
import { onceSucceeded } from '../once-succeeded.ts';

/**
 * Social writes go out with the subgraph's own credentials, so they act as that one account. The account
 * is looked up from the provider once and remembered (a failed lookup is retried next time).
 */
export function actingAccount(lookup: () => Promise<string>): () => Promise<string> {
  return onceSucceeded(lookup);
}

/**
 * A non-admin may write only as their own linked identity: the credentials' account must be theirs.
 * Callers without a linked identity are refused before the account is looked up.
 */
export async function requireActingAsSelf(caller: Caller, linked: (principal: Principal) => string | undefined, account: () => Promise<string>): Promise<void> {
  if (isAdmin(caller)) return;
  if (caller.kind !== 'user') throw unauthenticated();
  const identity = linked(caller.principal);
  if (!identity || identity.toLowerCase() !== (await account()).toLowerCase()) throw forbidden();
}

/** The gateway-side half: `social:write` and a linked identity on this provider (the subgraph checks which). */
export function writesAsLinkedIdentity(provider: string, linked: (principal: Principal) => string | undefined): AccessRule {
  return scopeAndOwnership(`linked-${provider}`, 'social:write', (principal) => linked(principal) !== undefined);
}
