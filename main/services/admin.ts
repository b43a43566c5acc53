/**
 * Changing the catalog: add, update, del and the alternative delete. Permissions are the API's
 * to enforce; these refresh the cached catalogs afterwards so the user sees the change.
 */
import { AppError } from '../domain/errors.js';
import type { DeleteResult, ParsedRequest, Response } from '../ipc/contract.js';
import type { SessionService } from './session.js';
import type { CatalogService } from './catalog.js';

export class AdminService {
  constructor(
    private readonly session: SessionService,
    private readonly catalog: CatalogService,
  ) {}

  async add(req: ParsedRequest<'iso/add'>): Promise<Response<'iso/add'>> {
    const { client } = await this.session.requireClient();
    const image = await client.add(req);
    await this.catalog.resyncAll();
    return image;
  }

  async update(req: ParsedRequest<'iso/update'>): Promise<Response<'iso/update'>> {
    const { client } = await this.session.requireClient();
    await client.update(req);
    await this.catalog.resyncAll();
    return null;
  }

  async del(req: ParsedRequest<'iso/del'>): Promise<Response<'iso/del'>> {
    const { client } = await this.session.requireClient();
    const outcome = await client.del(req.id, req.pending);
    await this.catalog.resyncAll();
    return outcome;
  }

  /** Several deletions (del, queued as HOSTKEY queues them), one after the other; one refusal does not stop the rest. */
  async delMany(req: ParsedRequest<'uploads/deleteMany'>): Promise<Response<'uploads/deleteMany'>> {
    const { client } = await this.session.requireClient();
    const results: DeleteResult[] = [];
    for (const id of new Set(req.ids)) {
      try {
        const outcome = await client.del(id, false);
        results.push({ id, ok: true, status: outcome.status, message: outcome.message, error: null });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        results.push({ id, ok: false, status: null, message: null, error: err.toInfo() });
      }
    }
    if (results.some((r) => r.ok)) await this.catalog.resyncAll();
    return { results };
  }

  async delete(req: ParsedRequest<'iso/delete'>): Promise<Response<'iso/delete'>> {
    const { client } = await this.session.requireClient();
    const outcome = await client.delete(req.id);
    await this.catalog.resyncAll();
    return outcome;
  }
}
