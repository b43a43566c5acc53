/** Test data for the cache: temp files, profiles, and large seeded catalogs of realistic ISOs. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IsoImage } from '../../main/domain/models.js';
import { SYNTHETIC_FIRST_ID, SyntheticIsos } from '../../main/local-api/synthetic.js';
import type { StoredProfile, TrackedTask } from '../../main/cache/index.js';

export function tempDir(): { dir: string; file: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isodesk-cache-'));
  return { dir, file: path.join(dir, 'isodesk.db'), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function profile(name: string, extra: Partial<StoredProfile> = {}): StoredProfile {
  return {
    name,
    base_url: 'https://api.example.test',
    role: 'Customer',
    role_type: 'Customer',
    permissions: ['iso.list_iso', 'iso.mount_iso'],
    email: `${name}@example.com`,
    customer_id: 1001,
    auth: 'key',
    ...extra,
  };
}

export function iso(id: number, fields: Partial<IsoImage> = {}): IsoImage {
  return {
    id,
    iso_name: `image-${id}.iso`,
    name: undefined,
    short_name: undefined,
    description: '',
    size: undefined,
    created_at: undefined,
    updated_at: undefined,
    status: undefined,
    private: undefined,
    admin_only: undefined,
    url: undefined,
    ...fields,
  };
}

/**
 * `count` distinct, searchable ISOs in HOSTKEY's shape, made by the local API's own generator;
 * each seed gives a different id range, so two seeds give two different catalogs.
 */
export function syntheticIsos(count: number, seed = 1, firstId = SYNTHETIC_FIRST_ID): IsoImage[] {
  const generator = new SyntheticIsos(count, firstId + (seed - 1) * 10_000_000);
  return Array.from({ length: count }, (_, i) => IsoImage.parse(generator.make(generator.firstId + i)));
}

/** A running mount in the task journal, accepted with a task key; `fields` change any of it. */
export function trackedTask(key: string, fields: Partial<TrackedTask> = {}): TrackedTask {
  return {
    key,
    kind: 'mount',
    profile: 'alice',
    server_id: 7,
    iso_name: 'ubuntu.iso',
    url: null,
    iso_id: null,
    email: null,
    customer_id: null,
    task_key: `hk-${key}`,
    state: 'running',
    status: null,
    message: null,
    created_at: 1_000,
    accepted_at: 1_000,
    updated_at: 1_000,
    finished_at: null,
    polls: 0,
    next_poll_at: 3_000,
    ok_result: null,
    failures: 0,
    claim_owner: null,
    claim_until: null,
    job_key: null,
    job_step: null,
    job_attempt: null,
    rev: 0,
    ...fields,
  };
}
