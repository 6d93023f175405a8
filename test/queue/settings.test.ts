// The app's queue setting: saved atomically and privately, tested with one PING against a real
// redis-server (a clear answer for a good URL, a wrong password, nothing listening), shown without its
// password; serve mode shows its own --queue read-only; Electron's start-up picks env over the file.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readQueueSettings, testQueueConnection, writeQueueSettings } from '../../core/queue/settings.js';
import { queueSettingsMethods } from '../../core/service/queueSettingsApi.js';
import { appQueueSettings, openAppQueue } from '../../electron/queueSettings.js';
import { freePort, redisMissing, startRedis, type TestRedis } from './redis.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'atstudio-qsettings-'));
const servers: TestRedis[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
  rmSync(tmp, { recursive: true, force: true });
});
const PASSWORD = 'hunter2-very-secret';

describe('queue settings file', () => {
  it('is written atomically with mode 0600, read back, and refuses a bad URL or a CA without TLS', async () => {
    const file = path.join(tmp, 'a', 'queue.json');
    expect(await readQueueSettings(file)).toEqual({}); // no file yet: runs train here
    await writeQueueSettings(file, { url: ` redis://u:${PASSWORD}@10.0.0.9:6379 ` });
    expect(await readQueueSettings(file)).toEqual({ url: `redis://u:${PASSWORD}@10.0.0.9:6379` });
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.dirname(file))).toEqual(['queue.json']); // no temporary file left
    await expect(writeQueueSettings(file, { url: `http://u:${PASSWORD}@h` })).rejects.toThrow(/scheme is http/);
    await expect(writeQueueSettings(file, { url: `http://u:${PASSWORD}@h` })).rejects.not.toThrow(PASSWORD);
    await expect(writeQueueSettings(file, { url: 'redis://h:1', caFile: '/etc/hostname' })).rejects.toThrow(/not a PEM certificate|cannot be read/);
    expect(await readQueueSettings(file)).toEqual({ url: `redis://u:${PASSWORD}@10.0.0.9:6379` }); // a refused save changes nothing
    await writeQueueSettings(file, {});
    expect(await readQueueSettings(file)).toEqual({});
    writeFileSync(file, '{ not json');
    await expect(readQueueSettings(file)).rejects.toThrow(`${file}: not valid JSON`);
  });
});

describe('the Settings methods', () => {
  it('desktop: saved setting shown without its password, applies at the next start; the shown URL sent back keeps the password', async () => {
    const file = path.join(tmp, 'b', 'queue.json');
    const m = queueSettingsMethods({ file, active: { source: 'none' } }, undefined);
    expect(await m.queueSettings()).toMatchObject({ editable: true, active: null, saved: { url: null, caFile: null }, restartNeeded: false });
    const v = await m.saveQueueSettings({ url: `redis://alice:${PASSWORD}@lab:6379` });
    expect(v).toMatchObject({ editable: true, active: null, saved: { url: 'redis://alice:***@lab:6379' }, restartNeeded: true });
    expect(JSON.stringify(v)).not.toContain(PASSWORD);
    // The screen fills the field with the shown URL; saving it again must not store "***" as the password.
    await m.saveQueueSettings({ url: 'redis://alice:***@lab:6379' });
    expect((await readQueueSettings(file)).url).toBe(`redis://alice:${PASSWORD}@lab:6379`);
    await expect(m.saveQueueSettings({ url: 'ftp://x' })).rejects.toMatchObject({ code: 'invalid' });
    // Once the app started with it, nothing is left to apply.
    const started = queueSettingsMethods({ file, active: { url: `redis://alice:${PASSWORD}@lab:6379`, source: 'settings' } }, undefined);
    expect(await started.queueSettings()).toMatchObject({ active: 'redis://alice:***@lab:6379', source: 'settings', restartNeeded: false });
  });

  it('serve mode: the server\'s --queue, read-only; no test or save from a browser', async () => {
    const m = queueSettingsMethods(undefined, 'redis://:***@q:6379');
    expect(await m.queueSettings()).toEqual({ editable: false, active: 'redis://:***@q:6379', activeCaFile: null, source: 'server', saved: null, restartNeeded: false, settingsFile: null });
    await expect(m.testQueue('redis://127.0.0.1:1')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(m.saveQueueSettings({ url: 'redis://x:1' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await queueSettingsMethods(undefined, undefined).queueSettings()).toMatchObject({ active: null, source: 'none' });
  });

  it('Electron start-up: $ATSTUDIO_QUEUE decides over the file; a damaged file or CA leaves runs here, said without the password', () => {
    const userData = path.join(tmp, 'userData');
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    expect(appQueueSettings(userData, {}, log).active).toEqual({ source: 'none' });
    const env = { ATSTUDIO_QUEUE: 'redis://e:6379', ATSTUDIO_QUEUE_CA: '/ca.pem' };
    expect(appQueueSettings(userData, env, log).active).toEqual({ url: 'redis://e:6379', caFile: '/ca.pem', source: 'environment' });
    const bad = path.join(tmp, 'userData2');
    mkdirSync(bad, { recursive: true });
    writeFileSync(path.join(bad, 'queue.json'), `{"url": "redis://u:${PASSWORD}@h:1"`);
    expect(appQueueSettings(bad, {}, log).active).toEqual({ source: 'none' });
    const host = { file: 'x', active: { url: `rediss://u:${PASSWORD}@h:1`, caFile: path.join(tmp, 'missing.pem'), source: 'settings' as const } };
    expect(openAppQueue(host, tmp, log)).toBeUndefined();
    expect(lines.join('\n')).toMatch(/not valid JSON/);
    expect(lines.join('\n')).toMatch(/missing\.pem: cannot be read/);
    expect(lines.join('\n')).not.toContain(PASSWORD);
  });
});

describe.skipIf(redisMissing() !== null)('testing the connection (a real redis-server with a password)', () => {
  it('says who answered, or why nothing did, never with the password', async () => {
    const redis = await startRedis(tmp, { password: PASSWORD });
    servers.push(redis);
    const good = await testQueueConnection(redis.url);
    expect(good.ok).toBe(true);
    expect(good.message).toMatch(new RegExp(`^Connected to redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port} \\(Redis \\d+\\.`));
    const wrong = await testQueueConnection(`redis://:wrong-${PASSWORD}@127.0.0.1:${redis.port}`);
    expect(wrong.ok).toBe(false);
    expect(wrong.message).toMatch(/user name or password was refused/);
    expect(wrong.message).not.toContain(PASSWORD);
    const none = await testQueueConnection(`redis://:${PASSWORD}@127.0.0.1:${await freePort()}`);
    expect(none).toMatchObject({ ok: false, message: expect.stringMatching(/nothing listens there/) });
    expect(none.message).not.toContain(PASSWORD);
    expect(await testQueueConnection('redis://')).toMatchObject({ ok: false, message: expect.stringMatching(/not a URL|no host/) });
    // Through the desktop's methods: the shown (redacted) saved URL tests with the saved password.
    const file = path.join(tmp, 'c', 'queue.json');
    const m = queueSettingsMethods({ file, active: { source: 'none' } }, undefined);
    const v = await m.saveQueueSettings({ url: redis.url });
    expect(await m.testQueue(v.saved!.url!)).toMatchObject({ ok: true });
    expect(existsSync(file) && readFileSync(file, 'utf8')).toContain(encodeURIComponent(PASSWORD));
  }, 30_000);
});
