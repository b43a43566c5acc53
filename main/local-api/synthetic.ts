/**
 * Synthetic ISO images for large-catalog tests and benchmarks: varied, searchable names, sizes and
 * dates, always the same for the same id.
 */
import { STATUS } from './catalog.js';
import type { IsoRecord } from './records.js';
import { isoTimestamp } from './time.js';

/** Ids of synthetic images start here, far from the demo catalog's. */
export const SYNTHETIC_FIRST_ID = 100_001;

/** Every this-many synthetic images is admin-only, so large lists also exercise the filter. */
const ADMIN_ONLY_EVERY = 97;

interface Family {
  name: string;
  file: string;
  versions: string[];
  variants: string[];
  /** Size range in MiB. */
  mib: [number, number];
}

const FAMILIES: Family[] = [
  {
    name: 'Ubuntu',
    file: 'ubuntu',
    versions: ['18.04.6', '20.04.6', '22.04.5', '24.04.1', '24.10'],
    variants: ['live-server', 'desktop', 'netboot'],
    mib: [700, 5900],
  },
  { name: 'Debian', file: 'debian', versions: ['10.13.0', '11.11.0', '12.7.0', '12.8.0'], variants: ['netinst', 'DVD-1', 'live-standard'], mib: [380, 3900] },
  { name: 'Rocky Linux', file: 'Rocky', versions: ['8.10', '9.3', '9.4', '9.5'], variants: ['minimal', 'dvd', 'boot'], mib: [900, 10400] },
  { name: 'AlmaLinux', file: 'AlmaLinux', versions: ['8.10', '9.4', '9.5'], variants: ['minimal', 'dvd', 'boot'], mib: [850, 10200] },
  {
    name: 'Windows Server',
    file: 'windows-server',
    versions: ['2016', '2019', '2022', '2025'],
    variants: ['standard', 'datacenter', 'core'],
    mib: [4800, 6100],
  },
  { name: 'FreeBSD', file: 'FreeBSD', versions: ['13.3', '13.4', '14.0', '14.1'], variants: ['disc1', 'bootonly', 'dvd1'], mib: [400, 4400] },
  { name: 'Proxmox VE', file: 'proxmox-ve', versions: ['7.4', '8.1', '8.2', '8.3'], variants: ['installer'], mib: [1100, 1400] },
  { name: 'VMware ESXi', file: 'VMware-VMvisor-Installer', versions: ['7.0U3', '8.0U2', '8.0U3'], variants: ['x86_64'], mib: [390, 640] },
  { name: 'openSUSE Leap', file: 'openSUSE-Leap', versions: ['15.5', '15.6'], variants: ['NET', 'DVD'], mib: [200, 4400] },
  { name: 'Fedora Server', file: 'Fedora-Server', versions: ['39', '40', '41'], variants: ['netinst', 'dvd'], mib: [800, 2600] },
];

const ARCHES = ['x86_64', 'amd64', 'arm64'];
const FROM = Date.parse('2019-01-01T00:00:00Z');
const SPAN = Date.parse('2025-06-30T00:00:00Z') - FROM;

/** Creation times to pick from: formatting a date per image would dominate the cost of making one. */
const STAMP_COUNT = 4096;
let stamps: string[] | null = null;
function stampAt(r: number): string {
  stamps ??= Array.from({ length: STAMP_COUNT }, (_, i) => isoTimestamp(FROM + Math.floor(((i + unit(i, 7)) / STAMP_COUNT) * SPAN)));
  return stamps[Math.floor(r * STAMP_COUNT)] ?? isoTimestamp(FROM);
}

/** A stable value in [0, 1) for (id, salt): each image is a pure function of its id. */
function unit(id: number, salt: number): number {
  let h = Math.imul(id ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

function pick<T>(items: readonly T[], r: number): T {
  const item = items[Math.floor(r * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/**
 * A range of synthetic images that exist only as a formula: nothing is allocated up front, so a
 * catalog of any size starts at once. The catalog stores an image for real once it changes.
 */
export class SyntheticIsos {
  readonly firstId: number;
  /** One past the last id. */
  readonly endId: number;

  constructor(
    readonly count: number,
    firstId = SYNTHETIC_FIRST_ID,
  ) {
    this.firstId = firstId;
    this.endId = firstId + count;
  }

  has(id: number): boolean {
    return Number.isInteger(id) && id >= this.firstId && id < this.endId;
  }

  /** The only id whose image could carry this name (names end in the image's number), if any. */
  idNamed(field: 'name' | 'iso_name', value: string): number | undefined {
    const number = (field === 'name' ? /#(\d+)$/ : /-(\d+)\.iso$/).exec(value)?.[1];
    const id = number === undefined ? NaN : this.firstId + Number(number) - 1;
    return this.has(id) ? id : undefined;
  }

  make(id: number): IsoRecord {
    const n = id - this.firstId + 1;
    const family = pick(FAMILIES, unit(id, 1));
    const version = pick(family.versions, unit(id, 2));
    const variant = pick(family.variants, unit(id, 3));
    const arch = pick(ARCHES, unit(id, 4));
    const created = stampAt(unit(id, 5));
    const [low, high] = family.mib;
    return {
      id,
      name: `${family.name} ${version} ${variant} #${n}`,
      short_name: `${family.file.toLowerCase()}-${version}-${n}`.slice(0, 32),
      iso_name: `${family.file}-${version}-${variant}-${arch}-${n}.iso`,
      private: '',
      description: `${family.name} ${version} ${variant} (${arch}), mirror build ${n}`,
      admin_only: n % ADMIN_ONLY_EVERY === 0 ? 1 : 0,
      status: STATUS.active,
      size: Math.round((low + unit(id, 6) * (high - low)) * 1024 * 1024),
      created_at: created,
      updated_at: created,
      url: null,
      customer_id: null,
      progress: null,
      deleteAt: null,
      deleted: false,
    };
  }
}
