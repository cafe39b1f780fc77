import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a log line. Secrets and tokens are never logged,
 * whichever module logs the object that carries them.
 */
export const REDACTED_PATHS = [
  'authorization',
  'cookie',
  'password',
  'secret',
  'token',
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
  'credentials',
  'apiKey',
  '*.authorization',
  '*.Authorization',
  '*.cookie',
  '*.password',
  '*.secret',
  '*.token',
  '*.accessKeyId',
  '*.secretAccessKey',
  '*.sessionToken',
  '*.credentials',
  '*.apiKey',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["x-api-key"]',
  '*.headers["stripe-signature"]',
  '*.headers["x-hub-signature-256"]',
] as const;

export interface LoggerConfig {
  level: string;
  name: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: pino.DestinationStream;
}

/** For code that maps errors only to classify them: nothing it would log is wanted. */
export const silentLogger = pino({ level: 'silent' });

export function createLogger({ level, name, destination }: LoggerConfig): Logger {
  const options: LoggerOptions = {
    name,
    level,
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
  };
  return destination ? pino(options, destination) : pino(options);
}
