/** eq.php: the token's servers, as bare ids or objects, and one server's details. */
import { refuse, type Json, type JsonObject } from '../envelopes.js';
import { PARAMS, type ActionIn } from '../spec.js';
import type { Condition, ServerRecord } from '../records.js';
import { requireSession, type Handler } from './request.js';
import { powerHandlers } from './power.js';

/** The `status` word eq.php list uses for each billing condition. */
const LIST_STATUS: Record<Condition, string> = {
  rent: 'active',
  power_off: 'suspended',
  presale: 'suspended',
  TT: 'pending',
};

function listEntry(server: ServerRecord): Json {
  switch (server.listForm) {
    case 'number':
      return server.id;
    case 'string':
      return String(server.id);
    case 'object':
      return { id: server.id, status: LIST_STATUS[server.condition], hostname: server.hostname, location: server.location };
  }
}

function showBody(server: ServerRecord): JsonObject {
  return {
    result: 'OK',
    server_data: {
      id: server.id,
      Condition_Component: server.condition,
      location: server.location,
      datacenter: server.datacenter,
      Model_Name: server.model,
      customer_id: server.customer_id,
    },
    IP: server.ips.map((entry) => ({ ip: entry.ip, main_ip: entry.main ? 1 : 0 })),
    tags: [
      { tag: server.nameTag, value: server.hostname },
      { tag: 'location', value: server.location },
    ],
  };
}

export const eqHandlers = {
  update_servers: (request) => {
    const session = requireSession(request);
    session.servers = request.world.serverIdsOf(session.account);
    return { result: 'OK', action: 'update_servers', servers: session.servers };
  },
  list: (request) => {
    const session = requireSession(request);
    const servers = session.servers.flatMap((id) => {
      const server = request.world.servers.get(id);
      return server ? [listEntry(server)] : [];
    });
    return { result: 'OK', servers };
  },
  show: (request) => {
    const session = requireSession(request);
    const server = request.world.serverFor(session, request.params.requiredInt(PARAMS.show.id));
    if (!server) throw refuse('Server not found');
    return showBody(server);
  },
  ...powerHandlers,
} satisfies Record<ActionIn<'eq'>, Handler>;
