import { describe, expect, it } from 'vitest';
import { newJobId, PendingCalls, toErrorInfo } from './pending-calls';

describe('PendingCalls', () => {
  it('passes a result through and forgets the call', async () => {
    const pending = new PendingCalls();
    await expect(pending.track(async () => 42)).resolves.toBe(42);
    pending.rejectAll({ code: 'worker_restarted', message: 'late' });
  });

  it('fails every call in flight when the worker dies, and only those', async () => {
    const pending = new PendingCalls();
    const never = new Promise<number>(() => {});
    const a = pending.track(() => never);
    const b = pending.track(() => never);
    pending.rejectAll({ code: 'worker_restarted', message: 'The data engine restarted: wasm trap' });
    await expect(a).rejects.toEqual({ code: 'worker_restarted', message: 'The data engine restarted: wasm trap' });
    await expect(b).rejects.toMatchObject({ code: 'worker_restarted' });
    await expect(pending.track(async () => 'after')).resolves.toBe('after');
  });

  it('turns thrown Errors and strings into plain error infos, keeps error infos as they are', async () => {
    const pending = new PendingCalls();
    await expect(
      pending.track(async () => {
        throw new Error('boom');
      }),
    ).rejects.toEqual({ code: 'internal', message: 'boom' });
    await expect(
      pending.track(async () => {
        throw { code: 'cancelled', message: 'Cancelled.' };
      }),
    ).rejects.toEqual({ code: 'cancelled', message: 'Cancelled.' });
    expect(toErrorInfo('plain')).toEqual({ code: 'internal', message: 'plain' });
  });
});

describe('newJobId', () => {
  it('is unique and carries its prefix', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newJobId('load')));
    expect(ids.size).toBe(100);
    expect([...ids].every((id) => id.startsWith('load-'))).toBe(true);
  });
});
