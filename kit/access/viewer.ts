import type { Caller } from './principal.ts';

/**
 * The signed-in caller as an entity every subgraph extends with its provider's part (their customer,
 * their GitHub and X accounts, their files). Its fields read the linked identities of the principal the
 * gateway signed, never anything from the request, so a viewer is always the caller's own.
 */
export interface ViewerModel {
  id: string;
}

/** `Query.viewer`: the caller, or null when anonymous. */
export function viewerOf(caller: Caller): ViewerModel | null {
  return caller.kind === 'user' ? { id: caller.principal.subject } : null;
}

/** `Viewer.__resolveReference`: the gateway may only ever resolve the caller's own viewer. */
export function resolveViewer(reference: { id?: unknown }, caller: Caller): ViewerModel | null {
  return caller.kind === 'user' && reference.id === caller.principal.subject ? { id: caller.principal.subject } : null;
}
