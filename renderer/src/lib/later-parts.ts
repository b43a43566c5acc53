/**
 * The parts of the window that the first paint does not show: the dialogs, the other tabs'
 * panels, the task drawer and an ISO's detail. Each is a dynamic import, so the build puts it in
 * a chunk of its own and the script the window starts with carries only what draws the first
 * rows. Once those rows are on screen, warm() fetches the rest, so opening one later does not
 * wait for its file.
 */
const loaders = {
  UploadDialog: () => import('../components/UploadDialog.svelte'),
  AddIsoDialog: () => import('../components/AddIsoDialog.svelte'),
  EditIsoDialog: () => import('../components/EditIsoDialog.svelte'),
  DeleteIsoDialog: () => import('../components/DeleteIsoDialog.svelte'),
  ShortcutsDialog: () => import('../components/ShortcutsDialog.svelte'),
  AddProfileDialog: () => import('../components/AddProfileDialog.svelte'),
  ConnectionCheckDialog: () => import('../components/ConnectionCheckDialog.svelte'),
  BootDialog: () => import('../components/BootDialog.svelte'),
  SettingsDialog: () => import('../components/SettingsDialog.svelte'),
  PinDialog: () => import('../components/PinDialog.svelte'),
  ConfirmDialog: () => import('../components/ConfirmDialog.svelte'),
  DropOverlay: () => import('../components/DropOverlay.svelte'),
  UploadsPanel: () => import('../components/UploadsPanel.svelte'),
  ActivityPanel: () => import('../components/ActivityPanel.svelte'),
  TaskCentre: () => import('../components/TaskCentre.svelte'),
  IsoDetail: () => import('../components/IsoDetail.svelte'),
} as const;

/** Told when a part could not be loaded as it was opened (the window shows it as an error). */
let reportFailure: (err: unknown) => void = () => undefined;

export function onPartFailure(report: (err: unknown) => void): void {
  reportFailure = report;
}

type Loader<K extends keyof typeof loaders> = (closed?: () => void) => ReturnType<(typeof loaders)[K]>;

/**
 * Each part's loader; one that fails is reported, as nothing of it can appear. `closed` puts back
 * what opened the part (a dialog's open state), so that opening it again asks for its file again
 * rather than leaving the window stuck with a dialog that is open and not there.
 */
export const later = Object.fromEntries(
  Object.entries(loaders).map(([name, load]) => [
    name,
    (closed?: () => void) =>
      load().catch((err: unknown) => {
        reportFailure(err);
        closed?.();
        throw err;
      }),
  ]),
) as { [K in keyof typeof loaders]: Loader<K> };

/**
 * Fetches every later part once the browser is idle, after it painted what it was drawing (the
 * first rows): loading a part adds its styles to the page, which the first frame must not wait
 * for. A part that fails to load here is loaded again, and its failure shown, when it is opened.
 */
export async function warm(): Promise<void> {
  await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 2000 }));
  await Promise.allSettled(Object.values(loaders).map((load) => load()));
}
