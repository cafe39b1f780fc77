import { z } from 'zod';

/** Thrown when the environment does not satisfy a configuration schema; lists every problem at once. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
    this.name = 'ConfigError';
  }
}

/**
 * Validates `env` against `schema` once, at start-up.
 * Messages name the variable and what was expected, never the value: a value may be a secret.
 */
export function readConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.length > 0 ? issue.path.join('.') : 'environment';
    return `${variable}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** Empty strings count as unset, as shells and .env files produce them. */
const unsetIfEmpty = (value: unknown): unknown => (value === '' ? undefined : value);

const booleanString = z
  .enum(['true', 'false', '1', '0'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1');

function wholeNumber(min: number, fallback: number, max: number) {
  const message = `expected a whole number from ${min} to ${max}`;
  return z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\d+$/, { message })
      .transform(Number)
      .refine((n) => n >= min && n <= max, { message })
      .default(fallback),
  );
}

export const env = {
  port: (fallback: number) =>
    z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .regex(/^\d+$/, { message: 'expected a whole number from 0 to 65535' })
        .transform(Number)
        .refine((n) => n <= 65535, { message: 'expected a whole number from 0 to 65535' })
        .default(fallback),
    ),
  url: (protocols: readonly string[]) =>
    z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .refine(
          (value) => {
            try {
              return protocols.includes(new URL(value).protocol);
            } catch {
              return false;
            }
          },
          { message: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
        )
        .optional(),
    ),
  string: () => z.preprocess(unsetIfEmpty, z.string().optional()),
  positiveInt: (fallback: number, max = Number.MAX_SAFE_INTEGER) => wholeNumber(1, fallback, max),
  /** Like positiveInt, where 0 means "off". */
  nonNegativeInt: (fallback: number, max = Number.MAX_SAFE_INTEGER) => wholeNumber(0, fallback, max),
  boolean: (fallback: boolean) => z.preprocess(unsetIfEmpty, booleanString.default(fallback)),
  /**
   * A plain decimal (`2`, `0.5`, `.25`) above 0 and at most `max`; anything else (a word, `Infinity`, hex,
   * exponents) is refused with `message`, never with a parser's words about the value.
   */
  positiveDecimal: (fallback: number, { max = Number.MAX_SAFE_INTEGER, message }: { max?: number; message: string }) =>
    z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .regex(/^(\d+(\.\d*)?|\.\d+)$/, { message })
        .transform(Number)
        .refine((n) => n > 0 && n <= max, { message })
        .default(fallback),
    ),
  /** A switch whose default depends on something else (NODE_ENV, say): undefined when unset. */
  optionalBoolean: () => z.preprocess(unsetIfEmpty, booleanString.optional()),
  list: () =>
    z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
        .optional(),
    ),
} as const;

/** Variables every process of this project reads. */
export const baseConfigSchema = z.object({
  NODE_ENV: z.preprocess(unsetIfEmpty, z.enum(['development', 'production', 'test']).default('development')),
  LOG_LEVEL: z.preprocess(
    unsetIfEmpty,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  PORT: env.port(4000),
  REDIS_URL: env.url(['redis:', 'rediss:']),
  /** Prefix of every Redis key and channel, so that several deployments can share one Redis. */
  REDIS_KEY_PREFIX: z.preprocess(unsetIfEmpty, z.string().regex(/^[\w.-]+$/, { message: 'letters, digits, _ . - only' }).default('fgw')),
  /** Shared by the gateway and its subgraphs only; signs the caller on every subgraph request. */
  SUBGRAPH_SECRET: z.preprocess(unsetIfEmpty, z.string().min(32, { message: 'must be at least 32 characters' }).optional()),
  /** When set, mutation audit records are also appended to this file (JSON lines). */
  AUDIT_LOG_FILE: env.string(),
  /** Postgres for what must be durable (connections, outgoing deliveries); unset: the embedded PGlite. */
  DATABASE_URL: env.url(['postgres:', 'postgresql:']),
  /** A Postgres schema of its own (created if missing), so that several deployments or test runs share one database. */
  DATABASE_SCHEMA: z.preprocess(unsetIfEmpty, z.string().regex(/^[a-z_][a-z0-9_]*$/, { message: 'lower-case letters, digits and _ only' }).optional()),
  /** Where the embedded PGlite keeps its data when DATABASE_URL is unset; `memory://` keeps it in memory. */
  DATABASE_DIR: z.preprocess(unsetIfEmpty, z.string().default('.data/pglite')),
});
export type BaseConfig = z.output<typeof baseConfigSchema>;
