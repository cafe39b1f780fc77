/**
 * `npm run token -- --sub <id> --scopes <a,b> [--customer cus_…] [--github login] [--twitter username]
 * [--storage-prefix customers/…/] [--ttl 1h]`: prints a token the local gateway accepts, for Sandbox and
 * tests. Signed with JWT_SECRET, or the development secret the gateway made (never printed otherwise).
 */
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { loadOrCreateDevSecret } from '../gateway/auth/dev-secret.ts';

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    scopes: { type: 'string', default: '' },
    customer: { type: 'string' },
    github: { type: 'string' },
    twitter: { type: 'string' },
    'storage-prefix': { type: 'string' },
    ttl: { type: 'string', default: '1h' },
  },
});
if (!values.sub) {
  process.stderr.write('usage: npm run token -- --sub <id> --scopes <a,b> [--customer cus_…] [--github login] [--twitter username] [--storage-prefix p/] [--ttl 1h]\n');
  process.exit(2);
}
const secret = process.env['JWT_SECRET'] ? new TextEncoder().encode(process.env['JWT_SECRET']) : loadOrCreateDevSecret();
let jwt = new SignJWT({
  scope: values.scopes.split(',').map((s) => s.trim()).filter(Boolean).join(' '),
  ...(values.customer ? { customer: values.customer } : {}),
  ...(values.github ? { github: values.github } : {}),
  ...(values.twitter ? { twitter: values.twitter } : {}),
  ...(values['storage-prefix'] ? { storage_prefix: values['storage-prefix'] } : {}),
})
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject(values.sub)
  .setIssuedAt()
  .setExpirationTime(values.ttl);
if (process.env['JWT_ISSUER']) jwt = jwt.setIssuer(process.env['JWT_ISSUER']);
if (process.env['JWT_AUDIENCE']) jwt = jwt.setAudience(process.env['JWT_AUDIENCE']);
process.stdout.write(`${await jwt.sign(secret)}\n`);
