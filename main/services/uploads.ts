/** Uploading ISOs by URL and listing the user's uploads. */
import { AppError } from '../domain/errors.js';
import type { Cache } from '../cache/index.js';
import type { ParsedRequest, Response } from '../ipc/contract.js';
import type { Clock } from '../api/clock.js';
import type { TaskTracker } from '../tasks/tracker.js';
import type { Journal } from '../tasks/journal.js';
import type { SessionService } from './session.js';
import { capabilitiesOf } from './session.js';
import { cachedRead } from './cached-read.js';
import { probeUrl, urlProblems } from './url-probe.js';

export class UploadService {
  constructor(
    private readonly cache: Cache,
    private readonly session: SessionService,
    private readonly journal: Journal,
    private readonly tracker: TaskTracker,
    private readonly clock: Clock,
    private readonly userAgent: string,
  ) {}

  async list(req: ParsedRequest<'uploads/list'>): Promise<Response<'uploads/list'>> {
    const profile = this.session.active().name;
    const email = req.email ?? null;
    return cachedRead({
      refresh: req.refresh,
      read: () => this.cache.uploads.list(profile, email),
      fetch: async () => {
        const { client } = await this.session.requireClient();
        this.cache.uploads.replace(profile, email, await client.uploaded(req.email), this.clock.now());
      },
    });
  }

  probe(req: ParsedRequest<'uploads/probe'>): Promise<Response<'uploads/probe'>> {
    return probeUrl(req.url, { userAgent: this.userAgent });
  }

  async start(req: ParsedRequest<'uploads/start'>): Promise<Response<'uploads/start'>> {
    const problems = urlProblems(req.url);
    if (problems.length) throw new AppError('validation', problems[0]!, { hint: 'Use the direct https link of the ISO file.' });
    const { profile, client } = await this.session.requireClient();
    const forCustomer = capabilitiesOf(profile).uploadNeedsCustomer;
    if (forCustomer && (!req.email || !req.customer_id)) {
      throw new AppError('validation', 'Staff uploads must name the customer: enter the customer email and customer ID.');
    }
    const task = await this.journal.send(
      {
        kind: 'upload',
        profile: profile.name,
        url: req.url,
        // Staff follow the upload in the customer's list, which HOSTKEY shows them only by email.
        email: forCustomer ? (req.email ?? null) : null,
        customer_id: forCustomer ? (req.customer_id ?? null) : null,
      },
      () => client.upload({ url: req.url, email: req.email, customer_id: req.customer_id }),
      (image) => ({
        iso_id: image?.id ?? null,
        iso_name: image?.iso_name || null,
        status: image?.status ?? 'Sent',
        first_poll_at: this.tracker.firstPollAt('upload'),
      }),
    );
    this.tracker.wake();
    return task;
  }
}
