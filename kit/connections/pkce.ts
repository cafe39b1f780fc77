import { createHash } from 'node:crypto';

/** RFC 7636 S256: base64url(sha256(verifier)). */
export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');
