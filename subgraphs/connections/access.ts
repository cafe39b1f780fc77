import { authenticated, type AccessRules } from '../../kit/access/access.ts';

/**
 * Connecting acts on the caller's own connections only (the subject of their token), so signing in is
 * the whole rule: there is no argument naming someone else.
 */
export const connectionsAccess: AccessRules = {
  Query: { viewer: authenticated },
  Mutation: { connectAccount: authenticated, confirmConnection: authenticated, disconnectAccount: authenticated },
  Viewer: { connections: authenticated },
};
