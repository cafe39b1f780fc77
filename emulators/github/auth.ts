import type { IncomingHttpHeaders } from 'node:http';

export interface AuthRefusal {
  status: 401;
  body: { message: string; documentation_url: string; status: '401' };
}

/**
 * GitHub takes a token as `Authorization: bearer <token>` or `token <token>` (scheme case-insensitive).
 * Returns its 401, or undefined when the token is the emulator's.
 */
export function checkToken(headers: IncomingHttpHeaders, token: string): AuthRefusal | undefined {
  const [scheme = '', credentials = ''] = (headers.authorization ?? '').trim().split(/\s+/, 2);
  const presented = /^(bearer|token)$/i.test(scheme) ? credentials : '';
  if (presented === token) return undefined;
  if (headers.authorization === undefined) {
    return refusal(
      'This endpoint requires you to be authenticated.',
      'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
    );
  }
  return refusal('Bad credentials', 'https://docs.github.com/graphql');
}

function refusal(message: string, documentationUrl: string): AuthRefusal {
  return { status: 401, body: { message, documentation_url: documentationUrl, status: '401' } };
}
