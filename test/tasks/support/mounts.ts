/** What the multi-process tests mount: the client's demo servers, and ISOs of which the local API fails the broken one. */
export const SERVERS = [40211, 40212, 40215];
export const ISOS = ['ubuntu-24.04.1-live-server-amd64.iso', 'debian-12.7.0-amd64-netinst.iso', 'broken-rescue-cd.iso'];
