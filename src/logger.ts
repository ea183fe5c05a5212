/** Logger options: pino, with every place a secret could appear redacted. */
import type { FastifyServerOptions } from 'fastify';
import type { LogLevel } from './config.js';

/** Paths pino replaces with "[redacted]" wherever a log line carries them. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  '*.secret',
  '*.token',
  '*.password',
  '*.clientSecret',
  'secret',
  'token',
  'password',
];

/** Fastify's `logger` option for a level; `silent` turns logging off (tests). */
export function loggerOptions(level: LogLevel): FastifyServerOptions['logger'] {
  if (level === 'silent') return false;
  return { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
}
