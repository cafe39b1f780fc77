import { authenticated, scope, scopeAndOwnership, underPrefix, type AccessRules } from '../../kit/access/access.ts';

const input = (args: Readonly<Record<string, unknown>>) => (args['input'] ?? {}) as Record<string, unknown>;

/**
 * Who may use the storage fields (README: Authorization). Objects are personal files: a non-admin reads
 * and writes only keys under their own storage prefix (the token's `storage_prefix`), in any bucket.
 */
export const s3Access: AccessRules = {
  Query: {
    viewer: authenticated,
    buckets: scope('storage:read'),
    bucket: scope('storage:read'),
    storedObject: scopeAndOwnership('own-key', 'storage:read', (p, args) => underPrefix(p.storagePrefix, args['key'])),
    storedObjects: scopeAndOwnership('own-prefix', 'storage:read', (p, args) => underPrefix(p.storagePrefix, args['prefix'])),
  },
  Mutation: {
    createUploadUrl: scopeAndOwnership('own-key-input', 'storage:write', (p, args) => underPrefix(p.storagePrefix, input(args)['key'])),
    deleteObject: scopeAndOwnership('own-key', 'storage:write', (p, args) => underPrefix(p.storagePrefix, args['key'])),
  },
  Bucket: { objects: scopeAndOwnership('own-prefix', 'storage:read', (p, args) => underPrefix(p.storagePrefix, args['prefix'])) },
  Subscription: {
    storedObjectEvents: scopeAndOwnership('own-prefix', 'storage:read', (p, args) => underPrefix(p.storagePrefix, args['prefix'])),
  },
  Viewer: { files: scope('storage:read') },
};
