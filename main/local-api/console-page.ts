/**
 * The page a console address opens: HOSTKEY's relay serves noVNC's vnc.html there; the local API
 * serves a small stand-in that shows which server it is and what its screen would show (power,
 * what it booted from), so a demo or a test can see that the link works and that a stopped or
 * idle console no longer does.
 */
import type { World } from './world.js';

export const CONSOLE_PATH = '/vnc.html';

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function html(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{margin:0;background:#111;color:#ddd;font:15px/1.5 monospace}main{padding:2rem}h1{font-size:1.1rem;color:#fff}pre{background:#000;padding:1rem;border:1px solid #333}</style>
</head><body><main>${body}</main></body></html>
`;
}

export function consolePage(world: World, password: string): { status: number; html: string } {
  const serverId = password ? world.power.useConsole(password) : null;
  const server = serverId === null ? undefined : world.servers.get(serverId);
  if (!server) {
    return {
      status: 403,
      html: html('Console closed', '<h1>This console is closed</h1><p>The link was stopped, was idle too long, or was never valid. Ask for a new console.</p>'),
    };
  }
  const power = world.power.power(server);
  const screen =
    power === 'off'
      ? '(no signal: the server is powered off)'
      : power === 'rebooting'
        ? `Rebooting…\nBooting from ${world.power.bootedFrom(server)}`
        : `${server.hostname} login: _\n\n(booted from ${world.power.bootedFrom(server)})`;
  return {
    status: 200,
    html: html(
      `noVNC — ${server.hostname}`,
      `<h1 id="title">Console of server ${server.id} — ${escape(server.hostname)}</h1>
<p>Power: <span id="power">${power}</span> · Boot device: <span id="media">${world.power.media(server)}</span>${server.mountedIso ? ` · ISO attached: <span id="iso">${escape(server.mountedIso)}</span>` : ''}</p>
<pre id="screen">${escape(screen)}</pre>`,
    ),
  };
}
