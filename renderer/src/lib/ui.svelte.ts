/** What is open on screen: tab, panels, dialogs, the ISO in the detail pane. */
import { tick } from 'svelte';
import type { IsoImage } from '../../../main/domain/models.js';

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  danger: boolean;
  /** What will happen, in order (a job's steps). */
  points?: string[];
  /** Said apart in the warning colour, e.g. that the server goes down. */
  warning?: string | null;
  /** Exactly what the answer acts on, listed under the question (e.g. the uploads a deletion removes). */
  items?: string[];
  resolve: (confirmed: boolean) => void;
}

/** HOSTKEY asked for the account PIN: why, for what, and how many tries are left if it said. */
export interface PinRequest {
  /** locked: HOSTKEY locked the PIN; a PIN typed now means support has reset it. */
  reason: 'required' | 'wrong' | 'locked';
  /** What the PIN is for: "Reboot web-01 (185.70.104.21)". */
  purpose: string;
  triesLeft: number | null;
  /** HOSTKEY's own words. */
  message: string | null;
  resolve: (pin: string | null) => void;
}

export type Tab = 'catalog' | 'uploads' | 'activity';

/** `del` (the Delete button) or the alternative `delete` (in the More menu). */
export interface DeleteRequest {
  iso: IsoImage;
  method: 'del' | 'delete';
}

export class Ui {
  tab = $state<Tab>('catalog');
  tasksOpen = $state(false);
  helpOpen = $state(false);
  addProfileOpen = $state(false);
  /** Help → Check connection: the doctor's report. */
  connectionCheckOpen = $state(false);
  /** The upload dialog, with the link it was opened with. */
  upload = $state<{ url: string; revision: number } | null>(null);
  addIsoOpen = $state(false);
  editIso = $state<IsoImage | null>(null);
  deleteIso = $state<DeleteRequest | null>(null);
  confirmRequest = $state<ConfirmRequest | null>(null);
  pinRequest = $state<PinRequest | null>(null);
  /** The server the "Boot from ISO" dialog is open for, with the ISO it starts on. */
  bootIso = $state<{ serverId: number; isoName: string | null } | null>(null);
  settingsOpen = $state(false);
  /** The ISO in the catalog's detail pane. */
  openedIso = $state<IsoImage | null>(null);
  /** The id of the upload open in My uploads (it follows the list as HOSTKEY's answers change). */
  openedUpload = $state<number | null>(null);
  /** The height the notifications take in their corner; the content keeps that much room free. */
  toastSpace = $state(0);
  /** A task to scroll to and highlight in the task centre. */
  highlightTask = $state<string | null>(null);
  /** The search field, registered by the catalog so shortcuts can focus it. */
  searchField: HTMLInputElement | null = null;

  /** True while a modal dialog is open: global shortcuts stay out of its way. */
  get modalOpen(): boolean {
    return (
      this.helpOpen ||
      this.addProfileOpen ||
      this.connectionCheckOpen ||
      this.upload !== null ||
      this.addIsoOpen ||
      this.editIso !== null ||
      this.deleteIso !== null ||
      this.confirmRequest !== null ||
      this.pinRequest !== null ||
      this.bootIso !== null ||
      this.settingsOpen
    );
  }

  /** Opens the upload dialog; a link dropped while it is open replaces the URL in it. */
  openUpload(url = ''): void {
    this.upload = { url, revision: (this.upload?.revision ?? 0) + 1 };
  }

  focusSearch(): void {
    this.tab = 'catalog';
    // The field may only now be rendered (after switching tabs).
    void tick().then(() => {
      this.searchField?.focus();
      this.searchField?.select();
    });
  }

  /** Asks a yes/no question in a dialog; answers true when confirmed. */
  confirm(request: Omit<ConfirmRequest, 'resolve' | 'danger'> & { danger?: boolean }): Promise<boolean> {
    this.confirmRequest?.resolve(false);
    return new Promise((resolve) => {
      this.confirmRequest = { danger: false, ...request, resolve };
    });
  }

  answerConfirm(confirmed: boolean): void {
    const request = this.confirmRequest;
    this.confirmRequest = null;
    request?.resolve(confirmed);
  }

  /** Asks for the account PIN; answers it, or null when the user cancels. */
  askPin(request: Omit<PinRequest, 'resolve'>): Promise<string | null> {
    this.pinRequest?.resolve(null);
    return new Promise((resolve) => {
      this.pinRequest = { ...request, resolve };
    });
  }

  answerPin(pin: string | null): void {
    const request = this.pinRequest;
    this.pinRequest = null;
    request?.resolve(pin);
  }

  reset(): void {
    this.answerConfirm(false);
    this.answerPin(null);
    this.bootIso = null;
    this.tab = 'catalog';
    this.upload = null;
    this.addIsoOpen = false;
    this.editIso = null;
    this.deleteIso = null;
    this.openedIso = null;
    this.openedUpload = null;
    this.highlightTask = null;
  }
}
