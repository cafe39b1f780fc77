import AWSAccount from 's3rver/lib/models/account.js';

/**
 * s3rver cannot be configured with credentials: it accepts only the access keys in its process-wide
 * account registry (just the hard-coded `S3RVER` key by default) and answers InvalidAccessKeyId to
 * any other, even though it never checks a V4 signature. Registering the emulator's key there lets
 * requests signed with it pass through unchanged; the proxy in front of s3rver is what actually
 * verifies signatures and that the key belongs to this emulator.
 *
 * Several emulators in one process may share a key, so registrations are reference-counted. (The
 * registered secret only matters to s3rver for V2 signatures, which it does verify.)
 */
const registrations = new Map<string, number>();

export function registerS3rverAccessKey(accessKeyId: string, secretAccessKey: string): () => void {
  const count = registrations.get(accessKeyId) ?? 0;
  const alreadyKnown = count === 0 && AWSAccount.registry.has(accessKeyId); // e.g. the built-in S3RVER key
  if (count === 0 && !alreadyKnown) AWSAccount.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
  if (alreadyKnown) return () => {};
  registrations.set(accessKeyId, count + 1);

  let released = false;
  return () => {
    if (released) return;
    released = true;
    const remaining = (registrations.get(accessKeyId) ?? 1) - 1;
    if (remaining > 0) {
      registrations.set(accessKeyId, remaining);
    } else {
      registrations.delete(accessKeyId);
      AWSAccount.DUMMY_ACCOUNT.revokeAccessKey(accessKeyId);
    }
  };
}
