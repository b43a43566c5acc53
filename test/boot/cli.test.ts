/**
 * `isodesk power`, `boot`, `console` and `tasks` end to end: the real CLI in child processes,
 * against the local HOSTKEY API over HTTP, on a real data folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { DEMO_PIN, type LocalApi } from '../../main/local-api/server.js';
import { localApi } from '../services/harness.js';
import { openCache } from '../../main/cache/index.js';
import { CACHE_FILE } from '../../main/app.js';
import { PREFERENCES_FILE } from '../../main/services/preferences.js';
import { isodesk, signedInFolder, tempFolder, type Run } from '../cli/helpers.js';

const UBUNTU = 'ubuntu-24.04.1-live-server-amd64.iso';
let api: LocalApi;

beforeAll(async () => {
  api = await localApi({ rebootMs: 300 });
});
afterAll(() => api.close());

const ok = (run: Run) => expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);

describe('isodesk power', { timeout: 240_000 }, () => {
  it('reads the power state with HOSTKEY\u2019s words and the time it was read', async () => {
    const dataDir = await signedInFolder(api.url, api.keys.client);
    await isodesk(['servers'], { dataDir, apiUrl: api.url });
    const run = await isodesk(['power', 'status', '--server', '40211'], { dataDir, apiUrl: api.url });
    ok(run);
    expect(run.stdout).toMatch(
      /^server 40211 \(web-ams-01\.client\.example, 185\.70\.104\.21\): power on \(HOSTKEY: \u201cChassis Power is on\u201d\), read \d{4}-\d\d-\d\d \d\d:\d\d\.$/m,
    );
    const json = await isodesk(['power', 'status', '--server', '40213', '--json'], { dataDir, apiUrl: api.url });
    ok(json);
    expect(JSON.parse(json.stdout)).toMatchObject({ server_id: 40213, power: 'off', text: 'Chassis Power is off' });
  });

  it('says plainly when HOSTKEY cannot be reached for a power reading, in one sentence', async () => {
    const gone = await localApi({});
    const dataDir = await signedInFolder(gone.url, gone.keys.client);
    await gone.close();
    const run = await isodesk(['power', 'status', '--server', '40211'], { dataDir, apiUrl: gone.url });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/HOSTKEY could not read the power state: Could not reach 127\.0\.0\.1:\d+: the connection was refused\.\n/);
  });

  it('refuses a disruptive action without a terminal and without --yes (exit 2), sending nothing', async () => {
    const dataDir = await signedInFolder(api.url, api.keys.client);
    const before = api.requestCount('eq', 'reboot');
    const run = await isodesk(['power', 'reboot', '--server', '40212'], { dataDir, apiUrl: api.url });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Not done without confirmation: Reboot server 40212 \(db-fra-01, 94\.232\.45\.12\)\? The server will go down and restart\./);
    expect(run.stderr).toMatch(/hint: Nothing was sent\. Add --yes/);
    expect(api.requestCount('eq', 'reboot')).toBe(before);
  });

  it('reboots with --yes --wait as a one-step job, listed by isodesk tasks', async () => {
    const dataDir = await signedInFolder(api.url, api.keys.client);
    await isodesk(['servers'], { dataDir, apiUrl: api.url });
    const run = await isodesk(['power', 'reboot', '--server', '40212', '--yes', '--wait'], { dataDir, apiUrl: api.url });
    ok(run);
    expect(run.stdout).toMatch(/^1\/1 Reboot: succeeded \(Server rebooted; booting from disk\)$/m);
    expect(run.stdout).toMatch(/^Reboot on server 40212 \(db-fra-01, 94\.232\.45\.12\): done\.$/m);
    // Followed to its end by the app's rule: the reboot is over once HOSTKEY says the server is on.
    expect(run.stdout).toMatch(/^server 40212 \(db-fra-01, 94\.232\.45\.12\): power on, confirmed by HOSTKEY \d{4}-\d\d-\d\d \d\d:\d\d\.$/m);
    const tasks = await isodesk(['tasks'], { dataDir, apiUrl: api.url });
    ok(tasks);
    expect(tasks.stdout).toMatch(/^[0-9a-f]{8} {2}.*Reboot on server 40212 \(db-fra-01, 94\.232\.45\.12\): succeeded$/m);
    expect(tasks.stdout).toMatch(/^ {3}1\/1 Reboot {2}succeeded {2}Server rebooted/m);
    // Following the power state read it from HOSTKEY; those readings are not jobs people follow.
    expect(tasks.stdout).not.toMatch(/power state|Power status/i);
    const jobs = JSON.parse((await isodesk(['tasks', '--jobs', '--json'], { dataDir, apiUrl: api.url })).stdout) as Array<{ kind: string }>;
    expect(jobs.map((j) => j.kind)).toEqual(['reboot']);
  });

  it('asks for the PIN: refused without one (exit 3, nothing left waiting), done with --pin -', async () => {
    const dataDir = await signedInFolder(api.url, api.keys.pin!);
    const without = await isodesk(['power', 'off', '--server', '60301', '--yes', '--wait'], { dataDir, apiUrl: api.url });
    expect(without.code).toBe(3);
    expect(without.stderr).toMatch(/HOSTKEY asks for the account PIN \("PIN code required for this operation"\)/);
    expect(without.stderr).toMatch(/--pin -/);
    const listed = JSON.parse((await isodesk(['tasks', '--jobs', '--json'], { dataDir, apiUrl: api.url })).stdout) as Array<{ state: string }>;
    expect(listed.map((j) => j.state)).toEqual(['cancelled']);

    const run = await isodesk(['power', 'off', '--server', '60301', '--yes', '--wait', '--pin', '-'], { dataDir, apiUrl: api.url, input: `${DEMO_PIN}\n` });
    ok(run);
    expect(run.stdout).toMatch(/Power off on server 60301 .*: done\./);
    expect(run.stdout + run.stderr).not.toContain(DEMO_PIN);
    const onDisk = fs
      .readdirSync(dataDir, { recursive: true, encoding: 'utf8' })
      .map((f) => path.join(dataDir, f))
      .filter((f) => fs.statSync(f).isFile());
    for (const file of onDisk) expect(fs.readFileSync(file).includes(Buffer.from(DEMO_PIN)), file).toBe(false);
  });
});

describe('isodesk boot', { timeout: 240_000 }, () => {
  it('boots from an ISO and back to disk, step by step', async () => {
    const dataDir = await signedInFolder(api.url, api.keys.client);
    await isodesk(['servers'], { dataDir, apiUrl: api.url });
    const run = await isodesk(['boot', '--server', '40215', '--iso', UBUNTU, '--yes', '--wait'], { dataDir, apiUrl: api.url });
    ok(run);
    expect(run.stdout.split('\n').filter((l) => /^\d\/3 /.test(l) && /succeeded/.test(l))).toEqual([
      expect.stringMatching(/^1\/3 Mount ubuntu-24\.04\.1-live-server-amd64\.iso: succeeded/),
      expect.stringMatching(/^2\/3 Set the boot device to CD \(the ISO\): succeeded \(Boot device set to cd\)/),
      expect.stringMatching(/^3\/3 Reboot: succeeded \(Server rebooted; booting from the ISO ubuntu-24\.04\.1-live-server-amd64\.iso\)/),
    ]);
    expect(run.stdout).toMatch(
      /Boot from ISO ubuntu-24\.04\.1-live-server-amd64\.iso on server 40215 \(gpu-ams-02\.client\.example, 185\.70\.104\.88\): done\./,
    );
    // After the reboot the power is followed to its end by the app's rule (power/settle), as `power --wait` does.
    expect(run.stdout).toMatch(/^Waiting for HOSTKEY to say the server is on\u2026$/m);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^server 40215 \(gpu-ams-02\.client\.example, 185\.70\.104\.88\): power on, confirmed by HOSTKEY \d{4}-\d\d-\d\d \d\d:\d\d\.$/,
    );
    const readings = api.requestCount('eq', 'status');
    const back = await isodesk(['boot', '--server', '40215', '--disk', '--yes', '--wait', '--json'], { dataDir, apiUrl: api.url });
    ok(back);
    const job = JSON.parse(back.stdout) as { kind: string; state: string; steps: Array<{ action: string; media: string | null; state: string }> };
    expect(job).toMatchObject({ kind: 'back_to_disk', state: 'succeeded' });
    expect(job.steps.map((s) => [s.action, s.media, s.state])).toEqual([
      ['unmount_iso', null, 'succeeded'],
      ['boot_dev', 'disk', 'succeeded'],
      ['reboot', null, 'succeeded'],
    ]);
    // Back to disk rebooted too: followed until HOSTKEY said on (--json prints only the job).
    expect(api.requestCount('eq', 'status')).toBeGreaterThan(readings);
    const power = JSON.parse((await isodesk(['power', 'status', '--server', '40215', '--json'], { dataDir, apiUrl: api.url })).stdout) as { power: string };
    expect(power.power).toBe('on');
  });

  it('stops on a server that refuses boot_dev media=cd (exit 6), then skip goes on', async () => {
    const dataDir = await signedInFolder(api.url, api.keys.pin!);
    const run = await isodesk(['boot', '--server', '60302', '--iso', UBUNTU, '--yes', '--wait', '--pin', '-'], {
      dataDir,
      apiUrl: api.url,
      input: `${DEMO_PIN}\n`,
    });
    expect(run.code, run.stderr).toBe(6);
    expect(run.stderr).toMatch(/failed: boot_dev media=cd is not supported for virtual servers/);
    const key = /isodesk tasks skip ([0-9a-f]{8})/.exec(run.stderr)?.[1];
    expect(key).toBeDefined();
    const skipped = await isodesk(['tasks', 'skip', key!, '--wait', '--pin', '-'], { dataDir, apiUrl: api.url, input: `${DEMO_PIN}\n` });
    ok(skipped);
    expect(skipped.stdout).toMatch(/3\/3 Reboot: succeeded \(Server rebooted; booting from the ISO ubuntu/);
    const tasks = await isodesk(['tasks'], { dataDir, apiUrl: api.url });
    expect(tasks.stdout).toMatch(/2\/3 Set the boot device to CD \(the ISO\) +skipped/);
  });

  it('needs either --iso or --disk', async () => {
    const run = await isodesk(['boot', '--server', '40211'], { dataDir: tempFolder(), apiUrl: api.url });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Give either --iso NAME \(boot from an ISO\) or --disk/);
  });
});

describe('isodesk console', { timeout: 240_000 }, () => {
  it('prints the secret link only with --show-url, else hands it to the browser', async () => {
    const dataDir = await signedInFolder(api.url, api.keys.client);
    const shown = await isodesk(['console', '--server', '40211', '--show-url'], { dataDir, apiUrl: api.url });
    ok(shown);
    const url = shown.stdout.trim();
    expect(url).toMatch(
      new RegExp(`^${api.url.replace(/\./g, '\\.')}/vnc\\.html\\?host=185\\.70\\.104\\.21&port=\\d+&autoconnect=true&password=[0-9a-f]{24}$`),
    );
    expect(shown.stderr).toMatch(/one-time password/);
    const page = await request(url);
    expect(page.statusCode).toBe(200);
    expect(await page.body.text()).toContain('Console of server 40211');

    // A fake browser: $BROWSER gets the address as its argument.
    const dir = tempFolder();
    const browser = path.join(dir, 'browser.sh');
    fs.writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > "${dir}/opened"\n`, { mode: 0o755 });
    const opened = await isodesk(['console', '--server', '40211'], { dataDir, apiUrl: api.url, env: { BROWSER: browser } });
    ok(opened);
    expect(opened.stdout).toMatch(/The console opened in your browser\. The link holds a one-time password/);
    expect(opened.stdout + opened.stderr).not.toMatch(/password=/);
    await expect.poll(() => fs.existsSync(path.join(dir, 'opened'))).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'opened'), 'utf8')).toMatch(/\/vnc\.html\?.*password=[0-9a-f]{24}$/);
    // Not in the data folder either.
    for (const file of fs.readdirSync(dataDir, { recursive: true, encoding: 'utf8' })) {
      const full = path.join(dataDir, file);
      if (fs.statSync(full).isFile()) expect(fs.readFileSync(full).includes(Buffer.from('vnc.html')), file).toBe(false);
    }
  });
});

describe('isodesk servers and the detach reminder', { timeout: 120_000 }, () => {
  it('calls out an ISO ISO Desk mounted that has stayed attached longer than the setting, by the app\u2019s rule', async () => {
    const dataDir = await signedInFolder(api.url, api.keys.client, 'work');
    ok(await isodesk(['servers'], { dataDir, apiUrl: api.url }));
    const quiet = await isodesk(['servers', '--offline'], { dataDir, apiUrl: api.url });
    ok(quiet);
    expect(quiet.stderr).not.toMatch(/reminder:/);
    // The record of a mount three hours ago, as the tracker writes it, and a one-hour setting.
    const cache = openCache(path.join(dataDir, CACHE_FILE));
    cache.servers.setMounted('work', 40211, UBUNTU);
    cache.serverPower.setMounted('work', 40211, UBUNTU, Date.now() - 3 * 3_600_000);
    cache.close();
    fs.writeFileSync(path.join(dataDir, PREFERENCES_FILE), JSON.stringify({ detach_reminder_minutes: 60 }));
    const run = await isodesk(['servers', '--offline'], { dataDir, apiUrl: api.url });
    ok(run);
    expect(run.stderr).toMatch(
      /^reminder: ubuntu-24\.04\.1-live-server-amd64\.iso is still attached to web-ams-01\.client\.example \(185\.70\.104\.21\) \(mounted 3h00m ago, longer than your 1h00m reminder\)\. "isodesk boot --server 40211 --disk" brings it back to its disk\.$/m,
    );
    // Off: nothing to say.
    fs.writeFileSync(path.join(dataDir, PREFERENCES_FILE), JSON.stringify({ detach_reminder_minutes: 0 }));
    expect((await isodesk(['servers', '--offline'], { dataDir, apiUrl: api.url })).stderr).not.toMatch(/reminder:/);
  });
});
