/**
 * The local API's demo world: accounts (one per role the app must handle), servers in several
 * locations and conditions, a realistic ISO catalog, some uploads in every state, and history.
 */
import type { Catalog } from './catalog.js';
import { STATUS } from './catalog.js';
import type { Account, IsoRecord, ServerRecord } from './records.js';
import { MODULE_ACTIONS, type Module } from './spec.js';
import { isoTimestamp } from './time.js';

/** Fixed so that demos, docs and separately started processes can use them. */
export const DEMO_KEYS = {
  client: 'hk-demo-client-4f9a2c71e8b3d605',
  admin: 'hk-demo-admin-b27e90d4c61f8a35',
  staff: 'hk-demo-staff-0c8d5e3a9f174b62',
  noServers: 'hk-demo-noservers-7a1e6b4c2d9f3085',
  /** A second customer, owner of servers and private images the client must not see. */
  other: 'hk-demo-other-93f0a6d2c5b8e147',
  /** A customer who set an account PIN (DEMO_PIN): power, boot device and console need it. */
  pin: 'hk-demo-pin-5e2b8d17c4a09f36',
} as const;

/** The PIN of the DEMO_KEYS.pin account; three wrong tries lock it until the local API restarts. */
export const DEMO_PIN = '4821';

const DEMO_EMAILS = {
  client: 'client@example.com',
  other: 'other@example.com',
  pin: 'pin@example.com',
  admin: 'admin@hostkey.example',
  staff: 'support@hostkey.example',
} as const;

function permissions(except: string[] = []): string[] {
  const modules: Module[] = ['iso', 'eq', 'callback'];
  return modules.flatMap((module) => MODULE_ACTIONS[module].map((action) => `${module}.${action}`)).filter((p) => !except.includes(p));
}

export function demoAccounts(): Account[] {
  const customer = { role: 'Customer', role_type: 'Customer', role_name: 'Customer', permissions: permissions(['iso.add']) } as const;
  return [
    {
      ...customer,
      permissions: [...customer.permissions],
      key: DEMO_KEYS.client,
      email: DEMO_EMAILS.client,
      customer_id: 1001,
      loginShape: 'top-level',
      hasServers: true,
    },
    {
      ...customer,
      permissions: [...customer.permissions],
      key: DEMO_KEYS.other,
      email: DEMO_EMAILS.other,
      customer_id: 1002,
      loginShape: 'top-level',
      hasServers: true,
    },
    {
      ...customer,
      permissions: [...customer.permissions],
      key: DEMO_KEYS.noServers,
      email: 'empty@example.com',
      customer_id: 1003,
      loginShape: 'top-level',
      hasServers: false,
    },
    {
      ...customer,
      permissions: [...customer.permissions],
      key: DEMO_KEYS.pin,
      email: DEMO_EMAILS.pin,
      customer_id: 1004,
      loginShape: 'top-level',
      hasServers: true,
      pin: DEMO_PIN,
    },
    {
      key: DEMO_KEYS.admin,
      role: 'Admin',
      role_type: 'Staff',
      role_name: 'Administrator',
      permissions: permissions(),
      email: DEMO_EMAILS.admin,
      customer_id: 1,
      loginShape: 'nested',
      hasServers: true,
    },
    {
      key: DEMO_KEYS.staff,
      role: 'Employee',
      role_type: 'Staff',
      role_name: 'Support engineer',
      permissions: permissions(['iso.add']),
      email: DEMO_EMAILS.staff,
      customer_id: 2,
      loginShape: 'top-level',
      hasServers: true,
    },
  ];
}

export function demoServers(): ServerRecord[] {
  const server = (s: Omit<ServerRecord, 'mountedIso'>): ServerRecord => ({ ...s, mountedIso: null });
  return [
    server({
      id: 40211,
      customer_id: 1001,
      hostname: 'web-ams-01.client.example',
      nameTag: 'hostname',
      listForm: 'number',
      location: 'NL',
      datacenter: 'Amsterdam AMS1',
      condition: 'rent',
      model: 'AMD Ryzen 9 5950X / 128 GB / 2×1.92 TB NVMe',
      ips: [
        { ip: '185.70.104.21', main: true },
        { ip: '10.10.4.21', main: false },
      ],
    }),
    server({
      id: 40212,
      customer_id: 1001,
      hostname: 'db-fra-01',
      nameTag: 'server_name',
      listForm: 'object',
      location: 'DE',
      datacenter: 'Frankfurt FRA2',
      condition: 'rent',
      model: 'Intel Xeon E-2388G / 64 GB / 2×960 GB SSD',
      ips: [
        { ip: '10.20.1.12', main: false },
        { ip: '94.232.45.12', main: true },
      ],
    }),
    server({
      id: 40213,
      customer_id: 1001,
      hostname: 'build-nyc-01.client.example',
      nameTag: 'hostname',
      listForm: 'string',
      location: 'US',
      datacenter: 'New York NY1',
      condition: 'power_off',
      model: 'AMD EPYC 7443P / 256 GB / 4×3.84 TB NVMe',
      ips: [{ ip: '107.182.130.40', main: true }],
    }),
    server({
      id: 40214,
      customer_id: 1001,
      hostname: 'edge-hel-01',
      nameTag: 'server_name',
      listForm: 'object',
      location: 'FI',
      datacenter: 'Helsinki HEL1',
      condition: 'TT',
      model: 'Intel Xeon E3-1230v6 / 32 GB / 2×480 GB SSD',
      ips: [{ ip: '45.145.226.7', main: true }],
    }),
    server({
      id: 40215,
      customer_id: 1001,
      hostname: 'gpu-ams-02.client.example',
      nameTag: 'hostname',
      listForm: 'object',
      location: 'NL',
      datacenter: 'Amsterdam AMS1',
      condition: 'rent',
      model: '2×RTX 4090 / AMD Ryzen 9 7950X / 128 GB',
      ips: [
        { ip: '10.10.4.88', main: false },
        { ip: '185.70.104.88', main: true },
      ],
    }),
    server({
      id: 50101,
      customer_id: 1002,
      hostname: 'other-fra-07',
      nameTag: 'hostname',
      listForm: 'object',
      location: 'DE',
      datacenter: 'Frankfurt FRA2',
      condition: 'rent',
      model: 'Intel Xeon E-2288G / 64 GB / 2×960 GB NVMe',
      ips: [{ ip: '94.232.45.107', main: true }],
    }),
    server({
      id: 50102,
      customer_id: 1002,
      hostname: 'other-ist-01',
      nameTag: 'server_name',
      listForm: 'number',
      location: 'TR',
      datacenter: 'Istanbul IST1',
      condition: 'presale',
      model: 'Intel Xeon E-2136 / 32 GB / 2×480 GB SSD',
      ips: [{ ip: '193.164.149.3', main: true }],
    }),
    server({
      id: 60301,
      customer_id: 1004,
      hostname: 'rescue-ams-01.pin.example',
      nameTag: 'hostname',
      listForm: 'object',
      location: 'NL',
      datacenter: 'Amsterdam AMS1',
      condition: 'rent',
      model: 'Intel Xeon E-2236 / 32 GB / 2×960 GB SSD',
      ips: [{ ip: '185.70.105.31', main: true }],
    }),
    {
      ...server({
        id: 60302,
        customer_id: 1004,
        hostname: 'vm-ams-02.pin.example',
        nameTag: 'hostname',
        listForm: 'object',
        location: 'NL',
        datacenter: 'Amsterdam AMS1',
        condition: 'rent',
        model: 'oVirt VM / 4 vCPU / 8 GB / 80 GB',
        ips: [{ ip: '185.70.105.32', main: true }],
      }),
      virtual: true,
    },
  ];
}

const GiB = 1024 * 1024 * 1024;

interface CatalogEntry {
  id: number;
  name: string;
  short_name: string;
  iso_name: string;
  description: string;
  size: number;
  created: string;
  admin_only?: 1;
}

/** Sizes and dates follow the vendors' published images. */
const CATALOG: CatalogEntry[] = [
  {
    id: 101,
    name: 'Ubuntu 24.04 LTS',
    short_name: 'ubuntu2404',
    iso_name: 'ubuntu-24.04.1-live-server-amd64.iso',
    description: 'Ubuntu Server 24.04.1 LTS (Noble Numbat)',
    size: 2773874688,
    created: '2024-08-29T14:02:11Z',
  },
  {
    id: 102,
    name: 'Ubuntu 22.04 LTS',
    short_name: 'ubuntu2204',
    iso_name: 'ubuntu-22.04.5-live-server-amd64.iso',
    description: 'Ubuntu Server 22.04.5 LTS (Jammy Jellyfish)',
    size: 2136926208,
    created: '2024-09-12T09:41:37Z',
  },
  {
    id: 103,
    name: 'Debian 12',
    short_name: 'debian12',
    iso_name: 'debian-12.7.0-amd64-netinst.iso',
    description: 'Debian GNU/Linux 12.7 "Bookworm" network installer',
    size: 661651456,
    created: '2024-08-31T18:20:05Z',
  },
  {
    id: 104,
    name: 'Debian 11',
    short_name: 'debian11',
    iso_name: 'debian-11.11.0-amd64-netinst.iso',
    description: 'Debian GNU/Linux 11.11 "Bullseye" network installer',
    size: 407896064,
    created: '2024-08-31T18:24:50Z',
  },
  {
    id: 105,
    name: 'Rocky Linux 9',
    short_name: 'rocky9',
    iso_name: 'Rocky-9.4-x86_64-minimal.iso',
    description: 'Rocky Linux 9.4 minimal',
    size: 1816944640,
    created: '2024-05-09T11:15:00Z',
  },
  {
    id: 106,
    name: 'AlmaLinux 9',
    short_name: 'alma9',
    iso_name: 'AlmaLinux-9.4-x86_64-minimal.iso',
    description: 'AlmaLinux OS 9.4 minimal',
    size: 2007105536,
    created: '2024-05-07T08:03:44Z',
  },
  {
    id: 107,
    name: 'CentOS Stream 9',
    short_name: 'cs9',
    iso_name: 'CentOS-Stream-9-latest-x86_64-boot.iso',
    description: 'CentOS Stream 9 boot image',
    size: 1185939456,
    created: '2024-10-01T07:30:00Z',
  },
  {
    id: 108,
    name: 'openSUSE Leap 15.6',
    short_name: 'leap156',
    iso_name: 'openSUSE-Leap-15.6-NET-x86_64-Media.iso',
    description: 'openSUSE Leap 15.6 network image',
    size: 236978176,
    created: '2024-06-12T13:00:00Z',
  },
  {
    id: 109,
    name: 'Windows Server 2022',
    short_name: 'win2022',
    iso_name: 'windows-server-2022-eval.iso',
    description: 'Windows Server 2022 Standard/Datacenter (evaluation)',
    size: 5044094976,
    created: '2024-02-14T10:00:00Z',
  },
  {
    id: 110,
    name: 'Windows Server 2019',
    short_name: 'win2019',
    iso_name: 'windows-server-2019-eval.iso',
    description: 'Windows Server 2019 Standard/Datacenter (evaluation)',
    size: 5296713728,
    created: '2023-11-20T10:00:00Z',
  },
  {
    id: 111,
    name: 'FreeBSD 14.1',
    short_name: 'freebsd141',
    iso_name: 'FreeBSD-14.1-RELEASE-amd64-disc1.iso',
    description: 'FreeBSD 14.1-RELEASE installer',
    size: 1254727680,
    created: '2024-06-04T16:45:12Z',
  },
  {
    id: 112,
    name: 'Proxmox VE 8.2',
    short_name: 'pve82',
    iso_name: 'proxmox-ve_8.2-2.iso',
    description: 'Proxmox Virtual Environment 8.2',
    size: 1367435264,
    created: '2024-04-24T12:00:00Z',
  },
  {
    id: 113,
    name: 'VMware ESXi 8.0U3',
    short_name: 'esxi80u3',
    iso_name: 'VMware-VMvisor-Installer-8.0U3-24022510.x86_64.iso',
    description: 'VMware ESXi 8.0 Update 3 (licensed installs only)',
    size: 633339904,
    created: '2024-06-25T09:00:00Z',
    admin_only: 1,
  },
  {
    id: 114,
    name: 'TrueNAS SCALE 24.04',
    short_name: 'truenas2404',
    iso_name: 'TrueNAS-SCALE-24.04.2.iso',
    description: 'TrueNAS SCALE 24.04.2 "Dragonfish"',
    size: Math.round(1.5 * GiB),
    created: '2024-07-09T15:10:00Z',
  },
  {
    id: 115,
    name: 'SystemRescue 11.02',
    short_name: 'sysrescue',
    iso_name: 'systemrescue-11.02-amd64.iso',
    description: 'SystemRescue 11.02 rescue toolkit',
    size: 853540864,
    created: '2024-07-20T19:22:31Z',
  },
  {
    id: 116,
    name: 'Windows Server 2025',
    short_name: 'win2025',
    iso_name: 'windows-server-2025-internal.iso',
    description: 'Windows Server 2025 (internal build, staff only)',
    size: 5678882816,
    created: '2024-11-04T10:00:00Z',
    admin_only: 1,
  },
  {
    id: 117,
    name: 'Rescue CD (damaged copy)',
    short_name: 'brokenrescue',
    iso_name: 'broken-rescue-cd.iso',
    description: 'A damaged image: mounting it fails (demo of a failing task)',
    size: 52428800,
    created: '2024-03-03T03:03:03Z',
  },
];

function catalogRecord(entry: CatalogEntry): IsoRecord {
  return {
    id: entry.id,
    name: entry.name,
    short_name: entry.short_name,
    iso_name: entry.iso_name,
    private: '',
    description: entry.description,
    admin_only: entry.admin_only ?? 0,
    status: STATUS.active,
    size: entry.size,
    created_at: entry.created,
    updated_at: entry.created,
    url: null,
    customer_id: null,
    progress: null,
    deleteAt: null,
    deleted: false,
  };
}

function uploadRecord(
  fields: Pick<IsoRecord, 'id' | 'name' | 'iso_name' | 'private' | 'url' | 'customer_id' | 'status' | 'size' | 'created_at' | 'updated_at'>,
): IsoRecord {
  return {
    ...fields,
    short_name: fields.iso_name.replace(/\.iso$/i, '').slice(0, 32),
    description: `Uploaded from ${fields.url ?? 'a URL'}`,
    admin_only: 0,
    progress: null,
    deleteAt: null,
    deleted: false,
  };
}

/** Loads the demo catalog, uploads and history into `catalog`; one upload starts at `now`. */
export function seedCatalog(catalog: Catalog, now: number): void {
  catalog.load(CATALOG.map(catalogRecord));
  const adminLogin = DEMO_EMAILS.admin;
  for (const entry of CATALOG) {
    const record = catalog.get(entry.id);
    if (record) catalog.note(record, { type: 'add', login: adminLogin, description: 'ISO added', message: `Added ${entry.name}` }, Date.parse(entry.created));
  }
  const ubuntu = catalog.get(101);
  if (ubuntu) {
    catalog.note(ubuntu, { type: 'update', login: adminLogin, description: 'ISO updated', message: 'Description changed' }, Date.parse('2024-09-02T08:00:00Z'));
    catalog.note(
      ubuntu,
      { type: 'mount', login: DEMO_EMAILS.client, description: 'ISO mounted', message: 'Mounted on server 40211' },
      Date.parse('2024-10-14T21:13:09Z'),
    );
    catalog.note(
      ubuntu,
      { type: 'unmount', login: DEMO_EMAILS.client, description: 'ISO unmounted', message: 'Unmounted from server 40211' },
      Date.parse('2024-10-14T22:01:40Z'),
    );
  }

  const arch = uploadRecord({
    id: 901,
    name: 'archlinux-2024.11.01-x86_64',
    iso_name: 'archlinux-2024.11.01-x86_64.iso',
    private: DEMO_EMAILS.client,
    url: 'https://geo.mirror.pkgbuild.com/iso/2024.11.01/archlinux-2024.11.01-x86_64.iso',
    customer_id: 1001,
    status: STATUS.active,
    size: 1191182336,
    created_at: '2024-11-02T10:12:00Z',
    updated_at: '2024-11-02T10:19:41Z',
  });
  const failed = uploadRecord({
    id: 902,
    name: 'win-custom-2022',
    iso_name: 'win-custom-2022.iso',
    private: DEMO_EMAILS.client,
    url: 'https://files.client.example/failed-builds/win-custom-2022.iso',
    customer_id: 1001,
    status: STATUS.error,
    size: null,
    created_at: '2024-11-10T17:40:00Z',
    updated_at: '2024-11-10T17:41:02Z',
  });
  const talos = uploadRecord({
    id: 903,
    name: 'metal-amd64',
    iso_name: 'metal-amd64.iso',
    private: DEMO_EMAILS.client,
    url: 'https://github.com/siderolabs/talos/releases/download/v1.8.3/metal-amd64.iso',
    customer_id: 1001,
    status: STATUS.pending,
    size: null,
    created_at: isoTimestamp(now),
    updated_at: isoTimestamp(now),
  });
  talos.progress = { startedAt: now, fails: false };
  const gentoo = uploadRecord({
    id: 904,
    name: 'install-amd64-minimal',
    iso_name: 'install-amd64-minimal-20241103.iso',
    private: DEMO_EMAILS.other,
    url: 'https://distfiles.gentoo.org/releases/amd64/autobuilds/20241103T170400Z/install-amd64-minimal-20241103T170400Z.iso',
    customer_id: 1002,
    status: STATUS.active,
    size: 1430257664,
    created_at: '2024-11-04T06:00:00Z',
    updated_at: '2024-11-04T06:05:12Z',
  });
  catalog.load([arch, failed, talos, gentoo]);

  const uploaded = (record: IsoRecord, login: string, at: string) =>
    catalog.note(record, { type: 'upload', login, description: 'Upload requested', message: `Upload from ${record.url ?? ''}` }, Date.parse(at));
  uploaded(arch, DEMO_EMAILS.client, arch.created_at);
  catalog.note(
    arch,
    { type: 'upload', login: 'system', description: 'ISO uploaded', message: `ISO uploaded (${arch.size ?? 0} bytes)` },
    Date.parse(arch.updated_at),
  );
  uploaded(failed, DEMO_EMAILS.client, failed.created_at);
  catalog.note(
    failed,
    { type: 'upload', login: 'system', description: 'Download failed', message: 'The remote server answered 404 Not Found' },
    Date.parse(failed.updated_at),
  );
  uploaded(talos, DEMO_EMAILS.client, talos.created_at);
  uploaded(gentoo, DEMO_EMAILS.other, gentoo.created_at);
}
