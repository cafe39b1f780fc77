/**
 * `npm run token -- --sub <id> --scopes <a,b> [--customer cus_…] [--github login] [--twitter username]
 * [--storage-prefix customers/…/] [--ttl 1h]`: prints a token the local gateway accepts, for Sandbox and
 * tests. Signed with JWT_SECRET, or the development secret the gateway made (never printed otherwise).
 */
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { loadOrCreateDevSecret } from '../gateway/auth/dev-secret.ts';
import { SCOPES } from '../kit/access/principal.ts';

/** The option column's indent, four names a line. */
const listed = (names: readonly string[]) =>
  Array.from({ length: Math.ceil(names.length / 4) }, (_, line) => `${' '.repeat(29)}${names.slice(line * 4, line * 4 + 4).join(', ')}`).join(',\n');

const USAGE = `Usage: npm run token -- --sub <id> [options]

Prints a bearer token (a JWT signed with HS256) that the local gateway accepts. Send it as the header
"Authorization: Bearer <token>" (in Apollo Sandbox: Headers). It is signed with JWT_SECRET when that is
set, otherwise with the development secret kept in .cache/dev-jwt-secret (the one \`npm start\` uses).
JWT_ISSUER and JWT_AUDIENCE, when set, become its iss and aud.

Options:
  --sub <id>                 Subject: who the caller is (required).
  --scopes <a,b>             Comma-separated scopes (default: none):
${listed(SCOPES.filter((scope) => scope !== 'admin'))},
                             or admin (may do everything).
  --customer <cus_…>         The Stripe customer the caller is (Viewer.customer, their payment events).
  --github <login>           The caller's GitHub login (Viewer.github).
  --twitter <username>       The caller's X username (Viewer.twitter).
  --storage-prefix <prefix>  The S3 key prefix of the caller's files (Viewer.files), e.g. customers/cus_…/.
  --ttl <duration>           How long the token is valid: 30m, 1h, 2d… (default 1h). The gateway allows
                             JWT_CLOCK_TOLERANCE_SECONDS (default 30 s) of clock skew, so a token is
                             still accepted up to that long after it expires.
  -h, --help                 Print this help.

Example (Ada, a seeded customer linked to every provider):
  npm run token -- --sub ada --scopes payments:read,social:read,storage:read \\
    --customer cus_Qm3vT8rLx2NcAe --github adaokafor --twitter ada_builds \\
    --storage-prefix customers/cus_Qm3vT8rLx2NcAe/
`;

/** A usage error: what was wrong, then the usage, on stderr; exit status 2. */
function refuse(problem: string): never {
  process.stderr.write(`${problem}\n\n${USAGE}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      sub: { type: 'string' },
      scopes: { type: 'string', default: '' },
      customer: { type: 'string' },
      github: { type: 'string' },
      twitter: { type: 'string' },
      'storage-prefix': { type: 'string' },
      ttl: { type: 'string', default: '1h' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (error) {
  // An unknown option, a missing value or a stray argument: node:util says which.
  refuse(error instanceof Error ? error.message : String(error));
}
const { values } = parsed;
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (!values.sub) refuse('--sub is required');

const scopes = values.scopes.split(',').map((s) => s.trim()).filter(Boolean);
// A misspelt scope would make a token that is refused field by field, with nothing saying why.
const unknownScopes = scopes.filter((scope) => !(SCOPES as readonly string[]).includes(scope));
if (unknownScopes.length > 0) refuse(`--scopes: ${unknownScopes.join(', ')} ${unknownScopes.length === 1 ? 'is not a scope' : 'are not scopes'} the gateway knows (${SCOPES.join(', ')})`);

let jwt = new SignJWT({
  scope: scopes.join(' '),
  ...(values.customer ? { customer: values.customer } : {}),
  ...(values.github ? { github: values.github } : {}),
  ...(values.twitter ? { twitter: values.twitter } : {}),
  ...(values['storage-prefix'] ? { storage_prefix: values['storage-prefix'] } : {}),
})
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject(values.sub)
  .setIssuedAt();
try {
  jwt = jwt.setExpirationTime(values.ttl);
} catch {
  refuse(`--ttl: expected a duration such as 30m, 1h or 2d, got "${values.ttl}"`);
}
if (process.env['JWT_ISSUER']) jwt = jwt.setIssuer(process.env['JWT_ISSUER']);
if (process.env['JWT_AUDIENCE']) jwt = jwt.setAudience(process.env['JWT_AUDIENCE']);
// Read (or made) only once the arguments are known to be good.
const secret = process.env['JWT_SECRET'] ? new TextEncoder().encode(process.env['JWT_SECRET']) : loadOrCreateDevSecret();
process.stdout.write(`${await jwt.sign(secret)}\n`);
