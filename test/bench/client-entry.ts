/** The HOSTKEY client and its transport in one module, for the bench to bundle as the app does (setup.ts builtClient). */
export { HostkeyClient } from '../../main/api/client.js';
export { Transport } from '../../main/api/transport.js';
