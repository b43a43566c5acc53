/**
 * What the user's commands do: each one asks for confirmation where it is destructive or targets
 * a server, calls main, registers the resulting task, and reports the outcome in plain words.
 * Components call these; they hold no workflow logic of their own.
 */
import type { IsoDeskApi, NetStatus, Request, ShellCommand } from '../../../main/ipc/contract.js';
import type { IsoImage, Server, Task, TaskEvent } from '../../../main/domain/models.js';
import { deletionNotice } from './outcome-text.js';
import type { Catalog } from './catalog.svelte.js';
import type { Power } from './power.svelte.js';
import type { Jobs } from './jobs.svelte.js';
import type { Servers } from './servers.svelte.js';
import type { Session } from './session.svelte.js';
import type { Tasks } from './tasks.svelte.js';
import type { Toasts } from './toasts.svelte.js';
import type { Ui } from './ui.svelte.js';
import type { Uploads } from './uploads.svelte.js';
import type { Command } from './shortcuts.js';
import { serverName } from './format.js';
import { outcomeTitle } from './task-text.js';
import type { Activity } from './activity.svelte.js';

export interface ActionDeps {
  api: IsoDeskApi;
  session: Session;
  servers: Servers;
  catalog: Catalog;
  tasks: Tasks;
  jobs: Jobs;
  power: Power;
  uploads: Uploads;
  activity: Activity;
  toasts: Toasts;
  ui: Ui;
}

export class Actions {
  /** Tasks whose outcome was already announced, so repeated events do not notify twice. */
  private readonly announced = new Set<string>();
  refreshing = $state(false);

  constructor(private readonly d: ActionDeps) {}

  serverLabel = (id: number): string => {
    const server = this.d.servers.items.find((s) => s.id === id);
    return server ? serverName(server) : `Server ${id}`;
  };

  /** Loads everything a signed-in profile shows; called when the active profile changes. */
  async enterProfile(profile: string): Promise<void> {
    const { servers, catalog, uploads, ui, toasts, session, power, activity } = this.d;
    ui.reset();
    uploads.reset();
    power.reset();
    activity.reset();
    catalog.forgetSyncs();
    // Cached servers first: the chosen server's cached catalog shows before any request to HOSTKEY is sent.
    const cached = servers.load(profile);
    // Both after the catalog's first rows (first-rows.ts):
    // what ISO Desk recorded of each server's power and mounted ISO (the detach reminder reads it),
    void catalog.firstRows.then(() => power.load()).catch(() => undefined);
    // and what the account owns, which decides whether Delete is offered (the cache answers when offline).
    void catalog.firstRows.then(() => uploads.loadOwn(session.net.online)).catch(() => undefined);
    try {
      await cached;
      // No server chosen: there are no rows to wait for.
      if (servers.selectedId === null) catalog.firstRows.done();
      if (servers.items.length === 0 || servers.syncedAt === null) await servers.load(profile, true);
    } catch (err) {
      catalog.firstRows.done();
      toasts.error('Could not load your servers', err);
    }
  }

  /** The catalog follows the chosen server; its cache is refreshed once per session, after its cached rows are shown. */
  async followServer(serverId: number): Promise<void> {
    const { catalog, toasts, session } = this.d;
    await catalog.firstRows.shown;
    if (!catalog.needsSync(serverId) || !session.net.online) return;
    try {
      await catalog.sync(serverId);
    } catch (err) {
      toasts.error('Could not refresh the catalog', err);
    }
  }

  async refresh(): Promise<void> {
    const { session, servers, catalog, uploads, activity, toasts, ui } = this.d;
    const profile = session.active?.name;
    if (!profile || this.refreshing) return;
    this.refreshing = true;
    try {
      const net = await session.checkNet();
      if (!net.online) {
        toasts.show('error', 'HOSTKEY cannot be reached', [net.last_error, 'Showing cached data; try again later.'].filter(Boolean).join(' '));
        return;
      }
      await servers.load(profile, true);
      this.d.power.load().catch(() => undefined);
      const serverId = servers.selectedId;
      const [synced] = await Promise.all([
        serverId === null ? Promise.resolve({ offline: false }) : catalog.sync(serverId),
        ui.tab === 'uploads' ? uploads.load(true) : ui.tab === 'activity' ? activity.load(true) : Promise.resolve(),
      ]);
      if (synced.offline) toasts.show('error', 'HOSTKEY cannot be reached', 'Showing cached data; try again later.');
      else toasts.show('success', 'Up to date');
    } catch (err) {
      toasts.error('Refresh failed', err);
    } finally {
      this.refreshing = false;
    }
  }

  async retryConnection(): Promise<void> {
    const { session, servers, toasts } = this.d;
    try {
      const net = await session.checkNet();
      if (net.online && servers.selectedId !== null) await this.followServer(servers.selectedId);
    } catch (err) {
      toasts.error('Could not check the connection', err);
    }
  }

  async mount(iso: IsoImage): Promise<void> {
    const { api, servers, tasks, toasts, ui } = this.d;
    const server = servers.selected;
    if (!server) return;
    const name = serverName(server);
    const confirmed = await ui.confirm({ title: 'Mount ISO', message: `Mount ${iso.iso_name} on ${name}?`, confirmLabel: 'Mount' });
    if (!confirmed) return;
    try {
      tasks.add(await api.iso.mount({ server_id: server.id, iso_name: iso.iso_name }));
      toasts.show('info', `Mounting ${iso.iso_name} on ${name}`, 'Follow it in Tasks.');
    } catch (err) {
      toasts.error(`Could not mount ${iso.iso_name}`, err);
    }
  }

  async unmount(server: Server): Promise<void> {
    const { api, tasks, toasts, ui } = this.d;
    const name = serverName(server);
    const what = server.mounted_iso ? `Unmount ${server.mounted_iso} from ${name}?` : `Unmount the ISO from ${name}?`;
    const confirmed = await ui.confirm({ title: 'Unmount ISO', message: what, confirmLabel: 'Unmount', danger: true });
    if (!confirmed) return;
    try {
      tasks.add(await api.iso.unmount({ server_id: server.id }));
      toasts.show('info', `Unmounting from ${name}`, 'Follow it in Tasks.');
    } catch (err) {
      toasts.error(`Could not unmount from ${name}`, err);
    }
  }

  /** Starts an upload; errors are left to the dialog, which shows them next to the field. */
  async startUpload(request: Request<'uploads/start'>): Promise<Task> {
    const { api, tasks, uploads, toasts } = this.d;
    const task = await api.uploads.start(request);
    tasks.add(task);
    toasts.show('info', 'Upload started', `${request.url} — follow it under My uploads or in Tasks.`);
    uploads.load(true).catch(() => undefined);
    return task;
  }

  async addIso(request: Request<'iso/add'>): Promise<void> {
    await this.d.api.iso.add(request);
    this.d.toasts.show('success', `Added ${request.name}`);
    await this.resync();
  }

  async updateIso(iso: IsoImage, change: { description?: string; iso_name?: string }): Promise<void> {
    await this.d.api.iso.update({ id: iso.id, ...change });
    this.d.toasts.show('success', `Saved ${change.iso_name ?? iso.iso_name}`);
    const opened = this.d.ui.openedIso;
    if (opened?.id === iso.id) this.d.ui.openedIso = { ...opened, ...change };
    await this.resync();
  }

  /** `del` (queued, or at once with `pending`) or the alternative `delete`; says what HOSTKEY answered. */
  async deleteIso(iso: IsoImage, method: 'del' | 'delete', pending: boolean): Promise<void> {
    const { api, ui, uploads, toasts } = this.d;
    const outcome = method === 'del' ? await api.iso.del({ id: iso.id, pending }) : await api.iso.delete({ id: iso.id });
    if (ui.openedIso?.id === iso.id) ui.openedIso = null;
    if (ui.openedUpload === iso.id) ui.openedUpload = null;
    const notice = deletionNotice(iso.iso_name, outcome);
    toasts.show('success', notice.title, notice.detail);
    uploads.load(true).catch(() => undefined);
    await this.resync();
  }

  /** After a change on HOSTKEY, the cached catalog is refreshed so the list shows it. */
  private async resync(): Promise<void> {
    const { servers, catalog, toasts } = this.d;
    if (servers.selectedId === null) return;
    try {
      await catalog.sync(servers.selectedId);
    } catch (err) {
      toasts.error('The change was made, but the list could not be refreshed', err);
    }
  }

  async clearFinishedTasks(): Promise<void> {
    try {
      // Main clears ended jobs with the finished tasks.
      const cleared = await this.d.tasks.clearFinished();
      this.d.jobs.dropEnded();
      this.d.toasts.show('info', cleared === 1 ? 'Cleared 1 finished task' : `Cleared ${cleared} finished tasks`);
    } catch (err) {
      this.d.toasts.error('Could not clear the finished tasks', err);
    }
  }

  onTaskEvent = (event: TaskEvent): void => {
    const { tasks, servers, uploads, session, toasts } = this.d;
    const task = tasks.apply(event);
    // A step of a job: the job tells its own story (ServerActions.onJobEvent).
    if (task?.job_key) return;
    // Each check of a running upload refreshed the cached list: show how far it got.
    if (task?.kind === 'upload' && task.state === 'running' && event.type === 'progress') uploads.load(false).catch(() => undefined);
    if (!task || task.state === 'running' || this.announced.has(task.key + task.state)) return;
    this.announced.add(task.key + task.state);
    const tone = task.state === 'succeeded' ? 'success' : 'error';
    toasts.show(tone, outcomeTitle(task, this.serverLabel), task.message);
    const profile = session.active?.name;
    if (task.kind === 'upload') {
      uploads.load(false).catch(() => undefined);
      void this.resync();
    } else if (profile) {
      servers.load(profile).catch(() => undefined);
    }
  };

  onNetChange = (net: NetStatus): void => {
    const { session, servers, toasts } = this.d;
    const wasOnline = session.net.online;
    session.net = net;
    if (!wasOnline && net.online) {
      toasts.show('success', 'Back online');
      if (servers.selectedId !== null) void this.followServer(servers.selectedId);
    }
  };

  run(command: Command): void {
    const { ui } = this.d;
    if (command === 'search') ui.focusSearch();
    else if (command === 'upload') ui.openUpload();
    else if (command === 'refresh') void this.refresh();
    else if (command === 'tasks') ui.tasksOpen = !ui.tasksOpen;
    else ui.helpOpen = true;
  }

  /** The Electron menu, tray and notifications (already validated against the contract). */
  onShellCommand = (cmd: ShellCommand): void => {
    if (cmd.command === 'openTask') {
      this.d.ui.tasksOpen = true;
      this.d.ui.highlightTask = cmd.key;
    } else if (cmd.command === 'tasks') {
      this.d.ui.tasksOpen = true;
    } else if (cmd.command === 'checkConnection') {
      this.d.ui.connectionCheckOpen = true;
    } else if (cmd.command === 'showServer') {
      if (this.d.servers.items.some((s) => s.id === cmd.server_id)) this.d.servers.select(cmd.server_id);
    } else {
      this.run(cmd.command);
    }
  };
}
