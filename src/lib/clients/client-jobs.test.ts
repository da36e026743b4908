import { describe, expect, it } from 'vitest';
import { ClientJobs } from './client-jobs';

describe('ClientJobs', () => {
  it('keeps asking while the job runs here, until the worker knows it', async () => {
    const jobs = new ClientJobs();
    let asked = 0;
    const worker = { cancel: async () => ++asked >= 3 };
    let finish!: () => void;
    const running = jobs.track('j1', () => new Promise<void>((resolve) => (finish = resolve)));
    await expect(jobs.cancel(worker, 'j1')).resolves.toBe(true);
    expect(asked).toBe(3);
    finish();
    await running;
  });

  it('gives up at once for a job that does not run here', async () => {
    const jobs = new ClientJobs();
    let asked = 0;
    await expect(jobs.cancel({ cancel: async () => (asked++, false) }, 'unknown')).resolves.toBe(false);
    expect(asked).toBe(1);
  });

  it('forgets a job once it settles, even when it fails', async () => {
    const jobs = new ClientJobs();
    await expect(jobs.track('j2', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    let asked = 0;
    await expect(jobs.cancel({ cancel: async () => (asked++, false) }, 'j2')).resolves.toBe(false);
    expect(asked).toBe(1);
  });
});
