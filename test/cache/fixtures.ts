/** Test data for the cache: temp files, profiles, and large seeded catalogs of realistic ISOs. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IsoImage } from '../../main/domain/models.js';
import type { StoredProfile } from '../../main/cache/index.js';

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
    signed_in: true,
    token_expire: 1_900_000_000,
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

interface Family {
  name: string;
  file: string;
  versions: string[];
  variants: string[];
  /** Size range in MiB. */
  mib: [number, number];
}

const FAMILIES: Family[] = [
  { name: 'Ubuntu', file: 'ubuntu', versions: ['18.04.6', '20.04.6', '22.04.5', '24.04.1', '24.10'], variants: ['live-server', 'desktop', 'netboot'], mib: [700, 5900] },
  { name: 'Debian', file: 'debian', versions: ['10.13.0', '11.11.0', '12.7.0', '12.8.0'], variants: ['netinst', 'DVD-1', 'live-standard'], mib: [380, 3900] },
  { name: 'Rocky Linux', file: 'Rocky', versions: ['8.10', '9.3', '9.4', '9.5'], variants: ['minimal', 'dvd', 'boot'], mib: [900, 10400] },
  { name: 'AlmaLinux', file: 'AlmaLinux', versions: ['8.10', '9.4', '9.5'], variants: ['minimal', 'dvd', 'boot'], mib: [850, 10200] },
  { name: 'Windows Server', file: 'windows-server', versions: ['2016', '2019', '2022', '2025'], variants: ['standard', 'datacenter', 'core'], mib: [4800, 6100] },
  { name: 'FreeBSD', file: 'FreeBSD', versions: ['13.3', '13.4', '14.0', '14.1'], variants: ['disc1', 'bootonly', 'dvd1'], mib: [400, 4400] },
  { name: 'Proxmox VE', file: 'proxmox-ve', versions: ['7.4', '8.1', '8.2', '8.3'], variants: ['installer'], mib: [1100, 1400] },
  { name: 'VMware ESXi', file: 'VMware-VMvisor-Installer', versions: ['7.0U3', '8.0U2', '8.0U3'], variants: ['x86_64'], mib: [390, 640] },
  { name: 'openSUSE Leap', file: 'openSUSE-Leap', versions: ['15.5', '15.6'], variants: ['NET', 'DVD'], mib: [200, 4400] },
  { name: 'Fedora Server', file: 'Fedora-Server', versions: ['39', '40', '41'], variants: ['netinst', 'dvd'], mib: [800, 2600] },
];
const ARCHES = ['x86_64', 'amd64', 'arm64'];
const FROM = Date.parse('2019-01-01T00:00:00Z');
const SPAN = Date.parse('2025-06-30T00:00:00Z') - FROM;

/** mulberry32: small, fast, and the same catalog for the same seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(items: readonly T[], r: number): T {
  const item = items[Math.floor(r * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** `count` distinct, searchable ISOs in HOSTKEY's shape, in no particular order. */
export function syntheticIsos(count: number, seed = 1, firstId = 100_001): IsoImage[] {
  const next = random(seed);
  const out: IsoImage[] = [];
  for (let i = 0; i < count; i++) {
    const n = i + 1;
    const family = pick(FAMILIES, next());
    const version = pick(family.versions, next());
    const variant = pick(family.variants, next());
    const arch = pick(ARCHES, next());
    const created = new Date(FROM + Math.floor(next() * SPAN)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const [low, high] = family.mib;
    out.push({
      id: firstId + i,
      name: `${family.name} ${version} ${variant} #${n}`,
      short_name: `${family.file.toLowerCase()}-${version}-${n}`,
      iso_name: `${family.file}-${version}-${variant}-${arch}-${n}.iso`,
      description: `${family.name} ${version} ${variant} (${arch}), mirror build ${n}`,
      size: Math.round((low + next() * (high - low)) * 1024 * 1024),
      created_at: created,
      updated_at: created,
      status: 'Active',
      private: undefined,
      admin_only: n % 97 === 0 ? 1 : 0,
      url: undefined,
    });
  }
  return out;
}
