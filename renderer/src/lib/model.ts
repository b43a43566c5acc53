/** The renderer's state, built once around the API and shared with every component by context. */
import { getContext, setContext } from 'svelte';
import type { IsoDeskApi } from '../../../main/ipc/contract.js';
import { Actions } from './actions.svelte.js';
import { Catalog } from './catalog.svelte.js';
import { Servers } from './servers.svelte.js';
import { Session } from './session.svelte.js';
import { Tasks } from './tasks.svelte.js';
import { Toasts } from './toasts.svelte.js';
import { Ui } from './ui.svelte.js';
import { Uploads } from './uploads.svelte.js';
import { Link } from './link.svelte.js';
import { DetachReminder } from './reminder.svelte.js';
import { Jobs } from './jobs.svelte.js';
import { Power } from './power.svelte.js';
import { ServerActions } from './server-actions.svelte.js';
import { Activity } from './activity.svelte.js';

export interface AppModel {
  api: IsoDeskApi;
  link: Link;
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
  reminder: DetachReminder;
  actions: Actions;
  serverActions: ServerActions;
}

export function createModel(api: IsoDeskApi, link: Link = new Link()): AppModel {
  const deps = {
    api,
    link,
    session: new Session(api),
    servers: new Servers(api),
    catalog: new Catalog(api),
    tasks: new Tasks(api),
    jobs: new Jobs(api),
    power: new Power(api),
    uploads: new Uploads(api),
    activity: new Activity(api),
    toasts: new Toasts(),
    ui: new Ui(),
    reminder: new DetachReminder(api),
  };
  return { ...deps, actions: new Actions(deps), serverActions: new ServerActions(deps) };
}

/** Subscribes to main's events; answers the unsubscribe. */
export function listen(model: AppModel): () => void {
  const stops = [
    model.link.watch(() => model.api.session.status({})),
    model.api.on('tasks/changed', model.actions.onTaskEvent),
    model.api.on('jobs/changed', model.serverActions.onJobEvent),
    model.api.on('net/changed', model.actions.onNetChange),
    model.api.on('shell/command', model.actions.onShellCommand),
    model.api.on('catalog/changed', model.catalog.onChanged),
    model.api.on('power/changed', model.power.onChanged),
  ];
  return () => stops.forEach((stop) => stop());
}

const KEY = Symbol('isodesk-model');

export function provideModel(model: AppModel): void {
  setContext(KEY, model);
}

export function useModel(): AppModel {
  const model = getContext<AppModel | undefined>(KEY);
  if (!model) throw new Error('useModel() outside the app');
  return model;
}
