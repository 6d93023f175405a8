// The CA that a rediss:// (TLS) queue's certificate is checked against, when it is not one Node already
// trusts (a lab's own CA, a self-signed server): a PEM file named by --queue-ca or $ATSTUDIO_QUEUE_CA.
// Verification is never switched off (no rejectUnauthorized: false): a wrong certificate fails to connect.
import { readFileSync } from 'node:fs';
import { QueueUrlError } from './url.js';

/** The CA file from the flag, else $ATSTUDIO_QUEUE_CA. */
export function queueCaFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const v = flag ?? env.ATSTUDIO_QUEUE_CA;
  return v && v.trim() !== '' ? v.trim() : undefined;
}

/** The PEM text of a CA file; the error names the file and what is expected. */
export function readQueueCa(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new QueueUrlError(`--queue-ca ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); expected a PEM file with the CA certificate(s) of the Redis server`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new QueueUrlError(`--queue-ca ${file}: not a PEM certificate (expected a file that starts with -----BEGIN CERTIFICATE-----)`);
  }
  return text;
}
