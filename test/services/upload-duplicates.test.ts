/** Which earlier uploads make a new one a repeat, from the uploaded list and the journal. */
import { describe, expect, it } from 'vitest';
import type { TrackedTask } from '../../main/cache/index.js';
import type { IsoImage } from '../../main/domain/models.js';
import { findDuplicates } from '../../main/services/upload-duplicates.js';

const URL_A = 'https://mirror.example/releases/debian-12.iso';

function image(over: Partial<IsoImage>): IsoImage {
  return { id: 1, iso_name: 'x.iso', description: '', ...over } as IsoImage;
}

function upload(over: Partial<TrackedTask>): TrackedTask {
  return {
    key: 'upload:1',
    kind: 'upload',
    profile: 'p',
    server_id: null,
    iso_name: null,
    url: URL_A,
    iso_id: null,
    state: 'running',
    status: 'Sent',
    message: null,
    created_at: Date.parse('2024-10-12T09:30:00Z'),
    updated_at: 0,
    finished_at: null,
    polls: 0,
    next_poll_at: 0,
    ok_result: null,
    failures: 0,
    ...over,
  } as TrackedTask;
}

describe('findDuplicates', () => {
  it('matches the same link however it is spelled, and the same file name in any case', () => {
    const matches = findDuplicates(
      'HTTPS://Mirror.Example:443/releases/debian-12.iso',
      [
        image({ id: 5, iso_name: 'debian-12.iso', url: URL_A, status: 'Active' }),
        image({ id: 6, iso_name: 'DEBIAN-12.ISO', url: 'https://other.example/DEBIAN-12.ISO', status: 'Active' }),
        image({ id: 7, iso_name: 'debian-11.iso', url: 'https://mirror.example/releases/debian-11.iso', status: 'Active' }),
      ],
      [],
    );
    expect(matches.map((m) => [m.iso_id, m.match, m.mountable, m.repeat])).toEqual([
      [6, 'file_name', true, true],
      [5, 'url', true, true],
    ]);
  });

  it('lists journal uploads in flight first, and only once when the image is already listed', () => {
    const matches = findDuplicates(
      URL_A,
      [image({ id: 9, iso_name: 'debian-12.iso', url: URL_A, status: 'Pending' })],
      [
        upload({ key: 'upload:listed', iso_id: 9 }),
        upload({ key: 'upload:new', iso_name: null, url: 'https://cdn.example/debian-12.iso' }),
        upload({ key: 'upload:done', state: 'succeeded' }),
        upload({ key: 'mount:1', kind: 'mount' }),
      ],
    );
    expect(matches).toEqual([
      expect.objectContaining({
        source: 'in_flight',
        match: 'file_name',
        task_key: 'upload:new',
        iso_name: 'debian-12.iso',
        since: '2024-10-12T09:30:00.000Z',
        repeat: true,
      }),
      expect.objectContaining({ source: 'uploaded', match: 'url', iso_id: 9, state: 'running', task_key: 'upload:listed', repeat: true, mountable: false }),
    ]);
  });

  it('keeps failed uploads for information only', () => {
    const [match] = findDuplicates(URL_A, [image({ id: 3, iso_name: 'debian-12.iso', url: URL_A, status: 'Error' })], []);
    expect(match).toMatchObject({ state: 'failed', repeat: false, mountable: false });
  });
});
