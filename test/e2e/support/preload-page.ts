/**
 * Browser code, not Node: the `electron` module the real preload (dist/preload/index.cjs) gets in
 * the e2e suite's preload mode. Its renderer half is the Electron double's (contextBridge and
 * ipcRenderer with Electron's copy and clone rules); its main half forwards to the browser harness,
 * answering as the shell does: one invoke channel per contract channel (INVOKE_PREFIX + name), app
 * events on EVENT_CHANNEL as `{ event, payload }`, "No handler registered" for anything else.
 * The contract's names come in as `names` (preload-mode.ts), so zod is not bundled a second time.
 */
import type { Channel, EventName, RawApi } from '../../../main/ipc/contract.js';
import { browserIsProxy, rendererElectron, type MainProcessLink, type RendererElectron } from '../../shell/electron-double/renderer-side.js';

export interface ContractNames {
  invokePrefix: string;
  eventChannel: string;
  channels: readonly Channel[];
  events: readonly EventName[];
}

/** `harness` is the browser harness's own bridge object; `page` is the page's window. */
export function electronForPage(harness: RawApi, page: object, names: ContractNames): RendererElectron {
  const link: MainProcessLink = {
    async invoke(channel, args) {
      const name = names.channels.find((c) => names.invokePrefix + c === channel);
      if (!name) return { error: `Error: No handler registered for '${channel}'` };
      const [domain, action] = name.split('/') as [string, string];
      const fn = (harness as unknown as Record<string, Record<string, (req: unknown) => Promise<unknown>>>)[domain]![action]!;
      try {
        return { result: await fn(args[0]) };
      } catch (err) {
        return { error: String(err) };
      }
    },
    listen(deliver) {
      for (const event of names.events) harness.on(event, (payload) => deliver(names.eventChannel, [{ event, payload }]));
    },
  };
  return rendererElectron(link, page, { isProxy: browserIsProxy });
}
