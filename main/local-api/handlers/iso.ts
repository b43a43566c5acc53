/**
 * iso.php: every action of the seed with its parameters and permissions.
 *
 * Who sees what: staff (administrators and employees) see every image; customers see public
 * images that are not admin-only, and private images whose `private` email is theirs. Only
 * administrators add; administrators and the owner of a private image delete and update.
 * list_iso lists mountable (Active) images only; `uploaded` lists uploads in every state.
 * history lists an image's entries oldest first (ids grow with time), deleted images included.
 */
import { STATUS } from '../catalog.js';
import { PERMISSION_DENIED, invalidArgument, ok, refuse } from '../envelopes.js';
import { PARAMS, argumentName, type ActionIn } from '../spec.js';
import { isAdmin, isStaff, type Account, type HistoryRecord, type IsoRecord } from '../records.js';
import type { Params } from '../params.js';
import { requireSession, type Handler } from './request.js';

const MODULE = 'iso';
const ISO_FILE_NAME = /^[^\s/\\]{1,251}\.iso$/i;
const BROKEN = /broken/i;

/** list_iso's entries: the seed's example, field for field. */
type ListedIso = { id: number; iso_name: string; description: string; size: number | null; created_at: string };

/** add's and update's `data`: the seed's add example, field for field. */
type FullIso = {
  id: number;
  name: string;
  short_name: string;
  iso_name: string;
  private: string;
  description: string;
  admin_only: 0 | 1;
  status: string;
  created_at: string;
  updated_at: string;
};

/** `uploaded`'s entries (the seed shows none): the full image, its size and where it came from. */
type UploadedIso = FullIso & { size: number | null; url: string | null };

/** history's entries: the seed's example, field for field. */
type HistoryItem = { id: number; date: string; description: string; type: string; login: string; message: string; iso_name: string };

function listView(iso: Readonly<IsoRecord>): ListedIso {
  return { id: iso.id, iso_name: iso.iso_name, description: iso.description, size: iso.size, created_at: iso.created_at };
}

function fullView(iso: Readonly<IsoRecord>): FullIso {
  return {
    id: iso.id,
    name: iso.name,
    short_name: iso.short_name,
    iso_name: iso.iso_name,
    private: iso.private,
    description: iso.description,
    admin_only: iso.admin_only,
    status: iso.status,
    created_at: iso.created_at,
    updated_at: iso.updated_at,
  };
}

function uploadView(iso: Readonly<IsoRecord>): UploadedIso {
  return { ...fullView(iso), size: iso.size, url: iso.url };
}

function historyView(entry: HistoryRecord): HistoryItem {
  const { id, date, description, type, login, message, iso_name } = entry;
  return { id, date, description, type, login, message, iso_name };
}

function canSee(account: Account, iso: Readonly<IsoRecord>): boolean {
  if (isStaff(account)) return true;
  if (iso.admin_only) return false;
  return iso.private === '' || iso.private === account.email;
}

function canManage(account: Account, iso: IsoRecord): boolean {
  return isAdmin(account) || (iso.private !== '' && iso.private === account.email);
}

function isoFileName(params: Params, field: string): string | null {
  const value = params.text(field);
  if (value !== null && !ISO_FILE_NAME.test(value)) throw invalidArgument(argumentName(field), 'must be a file name ending in .iso');
  return value;
}

function visibleIso(account: Account, iso: IsoRecord | undefined): IsoRecord {
  if (!iso || !canSee(account, iso)) throw refuse('ISO not found');
  return iso;
}

function manageableIso(account: Account, iso: IsoRecord | undefined, what: string): IsoRecord {
  const found = visibleIso(account, iso);
  if (!canManage(account, found)) {
    throw refuse(`${PERMISSION_DENIED}: only administrators and the owner of a private image may ${what} it`);
  }
  return found;
}

/** The https address of a file: a host and a path beyond "/". */
function uploadUrl(value: string, field: string): URL {
  let url: URL | null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (!url || url.protocol !== 'https:' || !url.hostname || url.pathname === '/' || url.pathname.endsWith('/')) {
    throw invalidArgument(argumentName(field), 'must be an https:// address of an ISO file');
  }
  return url;
}

function fileNameOf(url: URL): string {
  const last = url.pathname.split('/').pop() ?? '';
  let name: string;
  try {
    name = decodeURIComponent(last);
  } catch {
    name = last;
  }
  return /\.iso$/i.test(name) ? name : `${name}.iso`;
}

export const isoHandlers = {
  add: (request) => {
    const { account } = requireSession(request);
    if (!isAdmin(account)) throw refuse(`${PERMISSION_DENIED}: adding ISO images requires administrator privileges`);
    const { params, world } = request;
    const f = PARAMS.add;
    const name = params.requiredText(f.name);
    const short_name = params.requiredText(f.short_name);
    const iso_name = isoFileName(params, f.iso_name) ?? params.requiredText(f.iso_name);
    const owner = params.email(f.private) ?? params.requiredText(f.private);
    const description = params.text(f.description);
    const adminOnly = params.flag(f.admin_only);
    const status = params.text(f.status);
    const { catalog } = world;
    const existing = catalog.named('name', name)[0];
    const clash = catalog.named('iso_name', iso_name).find((iso) => iso !== existing);
    if (clash) throw invalidArgument(argumentName(f.iso_name), `already used by ISO ${clash.id}`);
    if (existing) {
      Object.assign(existing, { short_name, iso_name, private: owner });
      if (description !== null) existing.description = description;
      if (adminOnly !== null) existing.admin_only = adminOnly ? 1 : 0;
      if (status !== null) catalog.applyStatus(existing, status);
      catalog.touch(existing);
      catalog.note(existing, { type: 'update', login: account.email, description: 'ISO updated', message: `Updated ${name}` });
      return ok(MODULE, 'add', { data: fullView(existing) });
    }
    const created = catalog.create({
      name,
      short_name,
      iso_name,
      private: owner,
      description: description ?? '',
      admin_only: adminOnly ? 1 : 0,
      status: status ?? STATUS.pending,
    });
    catalog.note(created, { type: 'add', login: account.email, description: 'ISO added', message: `Added ${name}` });
    return ok(MODULE, 'add', { data: fullView(created) });
  },

  del: (request) => {
    const { account } = requireSession(request);
    const { params, world } = request;
    const iso = manageableIso(account, world.catalog.get(params.requiredInt(PARAMS.del.id)), 'delete');
    const immediately = params.flag(PARAMS.del.pending) ?? false;
    world.catalog.delete(iso, immediately);
    world.catalog.note(iso, { type: 'delete', login: account.email, description: 'ISO deleted', message: immediately ? 'Deleted at once' : 'Deletion queued' });
    return ok(MODULE, 'del', { data: { id: iso.id, status: iso.status } });
  },

  delete: (request) => {
    const { account } = requireSession(request);
    const { params, world } = request;
    const iso = manageableIso(account, world.catalog.get(params.requiredInt(PARAMS.delete.id)), 'delete');
    world.catalog.delete(iso, false);
    world.catalog.note(iso, { type: 'delete', login: account.email, description: 'ISO deleted', message: 'Deletion queued' });
    return ok(MODULE, 'delete', { data: { id: iso.id, status: iso.status } });
  },

  history: (request) => {
    const { account } = requireSession(request);
    const { params, world } = request;
    const iso = visibleIso(account, world.catalog.getEvenDeleted(params.requiredInt(PARAMS.history.id)));
    return ok(MODULE, 'history', { data: world.catalog.historyOf(iso.id).map(historyView) });
  },

  list_iso: (request) => {
    const session = requireSession(request);
    const { account } = session;
    const { params, world } = request;
    const serverId = params.int(PARAMS.list_iso.id);
    if (serverId === null) {
      if (!isStaff(account)) throw invalidArgument(argumentName(PARAMS.list_iso.id), 'a server id is required for clients');
    } else if (!world.serverFor(session, serverId)) {
      throw refuse('Server not found');
    }
    const images: ListedIso[] = [];
    for (const iso of world.catalog.live()) if (iso.status === STATUS.active && canSee(account, iso)) images.push(listView(iso));
    return ok(MODULE, 'list_iso', { server_id: serverId, iso_images: images });
  },

  mount_iso: (request) => {
    const session = requireSession(request);
    const { account } = session;
    const { params, world } = request;
    const f = PARAMS.mount_iso;
    const server = world.serverFor(session, params.requiredInt(f.id));
    if (!server) throw refuse('Server not found');
    const wanted = params.requiredText(f.iso);
    const mountable = (iso: Readonly<IsoRecord>) => iso.status === STATUS.active && canSee(account, iso);
    const iso = world.catalog.named('iso_name', wanted).find(mountable) ?? world.catalog.named('name', wanted).find(mountable);
    if (!iso) throw invalidArgument(argumentName(f.iso), `no ISO image named "${wanted}" is available`);
    const fault = world.power.takeFault('mount_iso');
    if (fault?.stage === 'answer') throw refuse(fault.message);
    const failure =
      fault?.message ??
      world.takeInjectedFailure() ??
      (BROKEN.test(iso.iso_name) ? `the virtual media service could not read ${iso.iso_name} (checksum mismatch)` : null);
    const task = world.tasks.start({ owner: account, action: 'mount_iso', server, isoName: iso.iso_name, failure });
    world.catalog.note(iso, { type: 'mount', login: account.email, description: 'Mount requested', message: `Mount on server ${server.id}` });
    return ok(MODULE, 'mount_iso', { callback: task.key });
  },

  unmount_iso: (request) => {
    const session = requireSession(request);
    const { account } = session;
    const { params, world } = request;
    const server = world.serverFor(session, params.requiredInt(PARAMS.unmount_iso.id));
    if (!server) throw refuse('Server not found');
    const fault = world.power.takeFault('unmount_iso');
    if (fault?.stage === 'answer') throw refuse(fault.message);
    const failure = fault?.message ?? world.takeInjectedFailure();
    const task = world.tasks.start({ owner: account, action: 'unmount_iso', server, isoName: server.mountedIso, failure });
    const mounted = server.mountedIso === null ? undefined : world.catalog.named('iso_name', server.mountedIso)[0];
    if (mounted)
      world.catalog.note(mounted, { type: 'unmount', login: account.email, description: 'Unmount requested', message: `Unmount from server ${server.id}` });
    return ok(MODULE, 'unmount_iso', { callback: task.key });
  },

  update: (request) => {
    const { account } = requireSession(request);
    const { params, world } = request;
    const f = PARAMS.update;
    const iso = manageableIso(account, world.catalog.get(params.requiredInt(f.id)), 'change');
    const description = params.text(f.description);
    const isoName = isoFileName(params, f.iso_name);
    if (description === null && isoName === null) {
      throw refuse(`nothing to update: give ${argumentName(f.description)} or ${argumentName(f.iso_name)}`);
    }
    const clash = isoName === null ? undefined : world.catalog.named('iso_name', isoName).find((i) => i !== iso);
    if (clash) throw invalidArgument(argumentName(f.iso_name), `already used by ISO ${clash.id}`);
    const changes: string[] = [];
    if (description !== null) {
      iso.description = description;
      changes.push('description');
    }
    if (isoName !== null) {
      iso.iso_name = isoName;
      changes.push('file name');
    }
    world.catalog.touch(iso);
    world.catalog.note(iso, { type: 'update', login: account.email, description: 'ISO updated', message: `Changed ${changes.join(' and ')}` });
    return ok(MODULE, 'update', { data: fullView(iso) });
  },

  upload: (request) => {
    const { account } = requireSession(request);
    const { params, world } = request;
    const f = PARAMS.upload;
    const url = uploadUrl(params.requiredText(f.url), f.url);
    let owner = { email: account.email, customer_id: account.customer_id };
    if (isStaff(account)) {
      const email = params.email(f.email);
      const customerId = params.int(f.customer_id);
      if (email === null || customerId === null || customerId <= 0) {
        throw invalidArgument(
          email === null ? argumentName(f.email) : argumentName(f.customer_id),
          `staff must give the customer's ${argumentName(f.email)} and ${argumentName(f.customer_id)}`,
        );
      }
      owner = { email, customer_id: customerId };
    }
    const fileName = fileNameOf(url);
    const fails = world.takeInjectedFailure() !== null || /fail/i.test(url.href);
    const iso = world.catalog.create(
      {
        name: fileName.replace(/\.iso$/i, ''),
        short_name: fileName.replace(/\.iso$/i, '').slice(0, 32),
        iso_name: fileName,
        private: owner.email,
        description: `Uploaded from ${url.href}`,
        admin_only: 0,
        status: STATUS.pending,
        url: url.href,
        customer_id: owner.customer_id,
      },
      fails,
    );
    world.catalog.note(iso, { type: 'upload', login: account.email, description: 'Upload requested', message: `Upload from ${url.href}` });
    return ok(MODULE, 'upload', { data: uploadView(iso) });
  },

  uploaded: (request) => {
    const { account } = requireSession(request);
    const { params, world } = request;
    const field = PARAMS.uploaded.email;
    const email = params.email(field);
    let owner: string | null;
    if (!isStaff(account)) {
      if (email !== null && email !== account.email) throw refuse(`${PERMISSION_DENIED}: customers may only list their own uploads`);
      owner = account.email;
    } else {
      if (email === null && !isAdmin(account)) throw invalidArgument(argumentName(field), 'required for employees');
      owner = email;
    }
    const images: UploadedIso[] = [];
    for (const iso of world.catalog.live()) if (iso.url !== null && (owner === null || iso.private === owner)) images.push(uploadView(iso));
    return ok(MODULE, 'uploaded', { data: images });
  },
} satisfies Record<ActionIn<'iso'>, Handler>;
