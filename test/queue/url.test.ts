// Queue URLs: what ioredis gets, what may be shown (never a password), and clear errors for bad ones.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseQueueUrl, queueUrlFrom, redactQueueUrl, redactSecrets } from '../../core/queue/url.js';
import { queueCaFrom, readQueueCa } from '../../core/queue/tls.js';

describe('queue URL', () => {
  it('redis:// with user, password and db: ioredis options; shown without the password', () => {
    const a = parseQueueUrl('redis://alice:s%40cret@10.0.0.5:6390/2');
    expect(a.options).toMatchObject({ host: '10.0.0.5', port: 6390, username: 'alice', password: 's@cret', db: 2, maxRetriesPerRequest: null });
    expect(a.options.tls).toBeUndefined();
    expect(a.shown).toBe('redis://alice:***@10.0.0.5:6390/2');
  });

  it('rediss:// means TLS (servername set), port 6379 by default', () => {
    const a = parseQueueUrl('rediss://:tok@redis.example.org');
    expect(a.options).toMatchObject({ host: 'redis.example.org', port: 6379, password: 'tok', tls: { servername: 'redis.example.org' } });
    expect(a.shown).toBe('rediss://:***@redis.example.org');
  });

  it.each([
    ['http://u:pw@host:1', /scheme is http, expected redis:\/\/ or rediss:\/\//],
    ['not a url :pw@', /not a URL/],
    ['redis://h:1/abc', /\/abc is not a database number/],
  ])('%s is refused, naming the value without its password', (url, message) => {
    expect(() => parseQueueUrl(url)).toThrow(message);
    try {
      parseQueueUrl(url);
    } catch (err) {
      expect((err as Error).message).not.toContain('pw@');
    }
  });

  it('redaction: URLs inside any text, and the bare password', () => {
    expect(redactQueueUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactQueueUrl('redis://tok@h')).toBe('redis://***@h');
    const url = 'redis://bob:hunter22@h:1';
    expect(redactSecrets(`connect ECONNREFUSED for ${url}; AUTH hunter22 failed`, url)).toBe('connect ECONNREFUSED for redis://bob:***@h:1; AUTH *** failed');
  });

  it('--queue wins over $ATSTUDIO_QUEUE; blank means none', () => {
    expect(queueUrlFrom('redis://a', { ATSTUDIO_QUEUE: 'redis://b' })).toBe('redis://a');
    expect(queueUrlFrom(undefined, { ATSTUDIO_QUEUE: 'redis://b' })).toBe('redis://b');
    expect(queueUrlFrom(undefined, { ATSTUDIO_QUEUE: ' ' })).toBeUndefined();
  });

  it('rediss:// to an IP: no SNI servername (RFC 6066), a CA from --queue-ca checked; a CA with redis:// or a bad file is refused', () => {
    const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const a = parseQueueUrl('rediss://10.0.0.5:6380', { ca });
    expect(a.options.tls).toEqual({ ca });
    expect(() => parseQueueUrl('redis://10.0.0.5:6380', { ca })).toThrow(/a CA \(--queue-ca\) is for TLS: use rediss:\/\//);
    expect(() => readQueueCa('/no/such/ca.pem')).toThrow(/--queue-ca \/no\/such\/ca\.pem: cannot be read \(ENOENT\)/);
    const notPem = path.join(mkdtempSync(path.join(os.tmpdir(), 'atstudio-ca-')), 'ca.pem');
    writeFileSync(notPem, 'hello');
    expect(() => readQueueCa(notPem)).toThrow(/not a PEM certificate/);
    expect(queueCaFrom(undefined, { ATSTUDIO_QUEUE_CA: ' /etc/ca.pem ' })).toBe('/etc/ca.pem');
    expect(queueCaFrom('/x.pem', { ATSTUDIO_QUEUE_CA: '/etc/ca.pem' })).toBe('/x.pem');
  });
});
