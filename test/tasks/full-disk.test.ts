/**
 * A full disk while a mount is recorded: the CLI runs on a 2 MiB tmpfs in a mount namespace of
 * its own (unshare: no root needed where user namespaces are allowed), and the disk fills up while
 * HOSTKEY (a scripted one, so the test knows the moment) is answering the request. The key HOSTKEY
 * issued must never be silently lost: it is in the journal, or the CLI printed it.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cannedServer } from '../api/canned-server.js';
import { cliBundle, tempFolder } from '../cli/helpers.js';

vi.setConfig({ testTimeout: 120_000 });

const NAMESPACE = ['--user', '--map-root-user', '--mount'];
const probe = spawnSync('unshare', [...NAMESPACE, 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs "$(mktemp -d)"'], { encoding: 'utf8' });
const canMountTmpfs = probe.status === 0;
if (!canMountTmpfs) {
  console.warn(`full-disk.test.ts: skipped: cannot mount a small tmpfs in a user namespace here (${(probe.stderr || probe.error?.message || '').trim()}).`);
}

const KEY = 'f'.repeat(32);
const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs inside the namespace: $1 data folder (becomes the tmpfs), $2 folder for outputs and flags, $3 node, $4 the CLI. */
const SCRIPT = `
set -u
D="$1"; F="$2"; NODE="$3"; CLI="$4"
mount -t tmpfs -o size=2m tmpfs "$D" || exit 90
export ISODESK_DATA_DIR="$D"
"$NODE" "$CLI" login --key - < "$F/key" > "$F/login.out" 2>&1 || exit 91
fill() { dd if=/dev/zero of="$D/filler" bs=4k 2>/dev/null; }

# Full before anything is sent.
fill
"$NODE" "$CLI" mount --server 7 --iso a.iso > "$F/before.out" 2> "$F/before.err"; echo $? > "$F/before.code"
rm -f "$D/filler"

# Full while HOSTKEY answers: the scripted server asks for it (flag "fill") and waits until it is done ("filled").
( while [ ! -e "$F/fill" ]; do sleep 0.02; done; fill; touch "$F/filled" ) &
"$NODE" "$CLI" mount --server 7 --iso a.iso > "$F/during.out" 2> "$F/during.err"; echo $? > "$F/during.code"
wait
rm -f "$D/filler"

# Room again: what the journal says now.
"$NODE" "$CLI" tasks --json > "$F/tasks.json" 2> "$F/tasks.err"
`;

describe('a full disk', () => {
  it.skipIf(!canMountTmpfs)('never loses a key HOSTKEY issued: the journal has it, or the CLI printed it', async () => {
    const flags = tempFolder('isodesk-full-disk-');
    const dataDir = tempFolder('isodesk-full-disk-data-');
    folders.push(flags, dataDir);
    const at = (name: string) => path.join(flags, name);
    let mountsSent = 0;
    const api = await cannedServer((req) => {
      switch (req.fields.action) {
        case 'login':
          return { json: { result: 'OK', token: 'tok-full-disk-000000000000000', token_expire: Math.floor(Date.now() / 1000) + 3600 } };
        case 'info':
          return { json: { result: { role: 'Customer', role_type: 'Customer', permissions: [], email: 'c@example.com', customer_id: 5 } } };
        case 'mount_iso': {
          mountsSent++;
          fs.writeFileSync(at('fill'), '');
          const deadline = Date.now() + 20_000;
          while (!fs.existsSync(at('filled')) && Date.now() < deadline) spawnSync('sleep', ['0.02']);
          return { json: { result: 'OK', action: 'mount_iso', callback: KEY } };
        }
        default:
          return { json: { result: 'Not ready' } };
      }
    });
    try {
      fs.writeFileSync(at('key'), 'hk-full-disk-test-key\n');
      await promisify(execFile)('unshare', [...NAMESPACE, 'sh', '-c', SCRIPT, 'sh', dataDir, flags, process.execPath, await cliBundle()], {
        env: { ...process.env, ISODESK_API_URL: api.url },
      });
    } finally {
      await api.close();
    }
    const read = (name: string) => fs.readFileSync(at(name), 'utf8');

    // Before: nothing could be written, so nothing was sent.
    expect(read('before.code').trim()).not.toBe('0');
    expect(mountsSent).toBe(1);

    // During: HOSTKEY accepted it and the disk filled before the answer was recorded.
    const journal = JSON.parse(read('tasks.json')) as Array<{ task_key: string | null; state: string; message: string | null }>;
    const recorded = journal.some((t) => t.task_key === KEY);
    if (!recorded) {
      expect(read('during.code').trim()).not.toBe('0');
      expect(read('during.err')).toMatch(
        new RegExp(`HOSTKEY accepted the mount of a\\.iso on server 7 \\(task key ${KEY}\\), but ISO Desk could not record it`),
      );
      // And the intent written before sending still says it was sent.
      expect(journal).toEqual([expect.objectContaining({ task_key: null, state: 'unknown', message: expect.stringMatching(/^Sent at .*, outcome unknown/) })]);
    }
    console.log(`full disk while recording: the key was ${recorded ? 'recorded in the journal' : 'printed by the CLI'}`);
  });
});
