/** What the local API keeps in memory: accounts, servers, ISO images and their history. */

export interface Account {
  key: string;
  role: string;
  role_type: 'Customer' | 'Staff';
  role_name: string;
  email: string;
  customer_id: number;
  permissions: string[];
  /** HOSTKEY answers login in more than one shape; each demo account shows one of them. */
  loginShape: 'top-level' | 'nested';
  /** Accounts without servers are refused at login (NO_APPROPRIATE_SERVERS). */
  hasServers: boolean;
  /** The account PIN, for accounts that set one: sensitive eq actions then need `pin`. */
  pin?: string;
}

/** Administrators may add ISOs and manage every image. */
export function isAdmin(account: Account): boolean {
  return account.role === 'Admin';
}

/** Staff (administrators and employees) see every server and image, and name the customer on uploads. */
export function isStaff(account: Account): boolean {
  return account.role_type === 'Staff';
}

export type Condition = 'rent' | 'power_off' | 'presale' | 'TT';

export interface ServerRecord {
  id: number;
  customer_id: number;
  hostname: string;
  /** Which tag carries the hostname in `show`: HOSTKEY uses both. */
  nameTag: 'hostname' | 'server_name';
  /** How `eq.php list` names this server: a bare id, an id as a string, or an object. */
  listForm: 'number' | 'string' | 'object';
  location: string;
  datacenter: string;
  condition: Condition;
  model: string;
  ips: { ip: string; main: boolean }[];
  mountedIso: string | null;
  /** A virtual machine (oVirt) rather than bare metal: different status words, and no boot_dev media=cd. */
  virtual?: true;
}

export interface UploadProgress {
  startedAt: number;
  fails: boolean;
}

export interface IsoRecord {
  id: number;
  name: string;
  short_name: string;
  iso_name: string;
  /** The owner's email for a private image; '' for a public one. */
  private: string;
  description: string;
  admin_only: 0 | 1;
  status: string;
  size: number | null;
  created_at: string;
  updated_at: string;
  /** Where an uploaded image came from; null for catalog images. */
  url: string | null;
  customer_id: number | null;
  /** Set while the image moves from Pending to Active or Error. */
  progress: UploadProgress | null;
  /** Set when a queued deletion is due. */
  deleteAt: number | null;
  /** Deleted images are kept so their history stays readable. */
  deleted: boolean;
}

export type HistoryType = 'upload' | 'add' | 'update' | 'mount' | 'unmount' | 'delete';

export interface HistoryRecord {
  id: number;
  date: string;
  description: string;
  type: HistoryType;
  login: string;
  message: string;
  iso_name: string;
}
