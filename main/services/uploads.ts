/** Uploading ISOs by URL and listing the user's uploads. */
import { AppError } from '../domain/errors.js';
import type { Cache } from '../cache/index.js';
import type { Clock } from '../api/clock.js';
import type { TaskTracker } from '../tasks/tracker.js';
import type { Journal } from '../tasks/journal.js';
import type { SessionService } from './session.js';
import { capabilitiesOf } from './session.js';
import { cachedRead } from './cached-read.js';
import { inspectFile, lookUpChecksum, type FileHostOptions } from './file-inspection.js';
import { findDuplicates } from './upload-duplicates.js';
import { probeUrl, urlProblems, withoutCredentials } from './url-probe.js';
import { fileHostAgent } from '../remote/https.js';
import { fileNameOf } from '../tasks/upload-status.js';
import { VERIFY_COMMAND, type ChecksumLookup, type ParsedRequest, type Response, type UploadMatch, type UrlProbe } from '../ipc/contract.js';

/** How long a probe's checksum is used for an upload of the same URL without looking again. */
const CHECKSUM_MEMO_MS = 30 * 60_000;
const CHECKSUM_MEMO_SIZE = 50;

export class UploadService {
  constructor(
    private readonly cache: Cache,
    private readonly session: SessionService,
    private readonly journal: Journal,
    private readonly tracker: TaskTracker,
    private readonly clock: Clock,
    private readonly fileHost: FileHostOptions,
  ) {}

  /** The latest checksum lookup per URL, so that an upload records what its probe showed. */
  private readonly checksums = new Map<string, { lookup: ChecksumLookup; at: number }>();

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

  /**
   * Everything ISO Desk can learn before an upload, at once: the URL check and HEAD request, the
   * file's first bytes and its published checksum (from the file host, time-boxed), and earlier
   * uploads of the same file. Offline, only the URL check and the cached uploads are used.
   */
  async probe(req: ParsedRequest<'uploads/probe'>): Promise<Response<'uploads/probe'>> {
    const problems = urlProblems(req.url);
    // A URL HOSTKEY would refuse is not fetched: the refusal is the whole answer.
    if (problems.length > 0) return this.unfetched(req.url);
    const offline = this.session.offline;
    // The HEAD request trusts what the sniff trusts: an extra authority given for file hosts counts for both.
    const agent = this.fileHost.ca && !offline ? await fileHostAgent(this.fileHost.ca) : null;
    const [probe, inspection, duplicates] = await Promise.all([
      offline
        ? { ...this.unfetched(req.url), warnings: ['Offline: the file itself was not checked.'] }
        : probeUrl(req.url, { userAgent: this.fileHost.userAgent, ...(agent ? { dispatcher: agent } : {}) }),
      offline ? null : inspectFile(req.url, this.fileHost),
      this.duplicates(req.url, req.email ?? null, offline),
    ]).finally(() => agent?.destroy());
    probe.duplicates = duplicates.matches;
    if (duplicates.warning) probe.warnings.push(duplicates.warning);
    if (inspection) {
      probe.image = inspection.image;
      probe.checksum = inspection.checksum;
      probe.warnings.push(...inspection.warnings);
      if (probe.size === null && inspection.image?.file_size) probe.size = inspection.image.file_size;
      if (inspection.checksum) this.remember(req.url, inspection.checksum);
    }
    return probe;
  }

  /** What is known of a URL without fetching it (never echoing credentials written into it). */
  private unfetched(url: string): UrlProbe {
    const value = url.trim();
    return {
      url: withoutCredentials(value),
      final_url: null,
      size: null,
      content_type: null,
      file_name: fileNameOf(value),
      problems: urlProblems(value),
      warnings: [],
      image: null,
      checksum: null,
    };
  }

  /** Earlier uploads of this file: the uploaded list (refreshed when online) and the journal's uploads in flight. */
  private async duplicates(url: string, email: string | null, offline: boolean): Promise<{ matches: UploadMatch[] | null; warning: string | null }> {
    const profile = this.session.activeName();
    if (!profile) return { matches: null, warning: 'Not signed in, so this was not compared with your uploads.' };
    let uploaded;
    let warning: string | null = null;
    try {
      uploaded = (await this.list({ email: email ?? undefined, refresh: !offline })).items;
    } catch (err) {
      const cached = this.cache.uploads.list(profile, email);
      if (cached.synced_at === null) {
        return { matches: null, warning: `This could not be compared with your uploads: ${err instanceof Error ? err.message : String(err)}` };
      }
      uploaded = cached.items;
      warning = 'Compared with the cached list of your uploads: HOSTKEY could not be asked for the current one.';
    }
    return { matches: findDuplicates(url, uploaded, this.cache.tasks.list(profile)), warning };
  }

  private remember(url: string, lookup: ChecksumLookup): void {
    this.checksums.delete(url);
    this.checksums.set(url, { lookup, at: this.clock.now() });
    // Maps iterate in insertion order: the first key is the oldest.
    if (this.checksums.size > CHECKSUM_MEMO_SIZE) this.checksums.delete(this.checksums.keys().next().value!);
  }

  /** The checksum to keep with an upload, and when it was read: the one its probe found, else a fresh (time-boxed) look. */
  private async checksumFor(url: string): Promise<{ lookup: ChecksumLookup | null; at: number }> {
    const memo = this.checksums.get(url);
    if (memo && this.clock.now() - memo.at < CHECKSUM_MEMO_MS) return memo;
    return { lookup: await lookUpChecksum(url, this.fileHost), at: this.clock.now() };
  }

  async start(req: ParsedRequest<'uploads/start'>): Promise<Response<'uploads/start'>> {
    const problems = urlProblems(req.url);
    if (problems.length) throw new AppError('validation', problems[0]!, { hint: 'Use the direct https link of the ISO file.' });
    const { profile, client } = await this.session.requireClient();
    const forCustomer = capabilitiesOf(profile).uploadNeedsCustomer;
    if (forCustomer && (!req.email || !req.customer_id)) {
      throw new AppError('validation', 'Staff uploads must name the customer: enter the customer email and customer ID.');
    }
    await this.keepChecksum(profile.name, req.url);
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

  keptChecksum(req: ParsedRequest<'uploads/checksum'>): Response<'uploads/checksum'> {
    const kept = this.cache.checksums.latestFor(this.session.active().name, req.url);
    return kept && { sha256: kept.sha256, source_url: kept.source_url, found_at: kept.found_at, verify_command: VERIFY_COMMAND };
  }

  /** Journals the publisher's checksum before HOSTKEY is asked to download the file. */
  private async keepChecksum(profile: string, url: string): Promise<void> {
    const { lookup, at } = await this.checksumFor(url);
    const fileName = fileNameOf(url);
    if (!lookup?.sha256 || !lookup.source_url || !fileName) return;
    this.cache.checksums.record({
      profile,
      url,
      file_name: fileName,
      sha256: lookup.sha256,
      source_url: lookup.source_url,
      found_at: at,
    });
  }
}
