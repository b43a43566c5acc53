/** Uploading ISOs by URL and listing the user's uploads. */
import { AppError } from '../domain/errors.js';
import type { Cache } from '../cache/index.js';
import type { ParsedRequest, Response } from '../ipc/contract.js';
import type { Clock } from '../api/clock.js';
import type { TaskTracker } from '../tasks/tracker.js';
import type { SessionService } from './session.js';
import { capabilitiesOf } from './session.js';
import { cachedRead } from './cached-read.js';
import { probeUrl, urlProblems } from './url-probe.js';

export class UploadService {
  constructor(
    private readonly cache: Cache,
    private readonly session: SessionService,
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

  async probe(req: ParsedRequest<'uploads/probe'>): Promise<Response<'uploads/probe'>> {
    const problems = urlProblems(req.url);
    // A URL HOSTKEY would refuse is not fetched: the refusal is the whole answer.
    if (problems.length > 0) return { url: req.url, final_url: null, size: null, content_type: null, file_name: null, problems, warnings: [] };
    return probeUrl(req.url, { userAgent: this.userAgent });
  }

  async start(req: ParsedRequest<'uploads/start'>): Promise<Response<'uploads/start'>> {
    const problems = urlProblems(req.url);
    if (problems.length) throw new AppError('validation', problems[0]!, { hint: 'Use the direct https link of the ISO file.' });
    const { profile, client } = await this.session.requireClient();
    if (capabilitiesOf(profile).uploadNeedsCustomer && (!req.email || !req.customer_id)) {
      throw new AppError('validation', 'Staff uploads must name the customer: enter the customer email and customer ID.');
    }
    const image = await client.upload({ url: req.url, email: req.email, customer_id: req.customer_id });
    return this.tracker.record({
      key: `upload:${this.clock.now().toString(36)}:${req.url}`,
      kind: 'upload',
      profile: profile.name,
      server_id: null,
      iso_name: image?.iso_name || null,
      url: req.url,
      iso_id: image?.id ?? null,
      status: image?.status ?? 'Sent',
    });
  }
}
