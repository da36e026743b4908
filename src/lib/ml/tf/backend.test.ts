import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { type BackendCandidate, chooseBackend, isSoftwareRenderer, probeBackends } from './backend';

const c = (
  name: BackendCandidate['name'],
  msPerOp: number | null,
  extra: Partial<BackendCandidate> = {},
): BackendCandidate => ({
  name,
  available: true,
  software: false,
  msPerOp,
  ...extra,
});

describe('chooseBackend', () => {
  it('picks the fastest measured backend', () => {
    expect(chooseBackend([c('webgl', 0.5), c('wasm', 2), c('cpu', 9)]).name).toBe('webgl');
  });

  it('never prefers a software GPU over wasm, even when it timed faster', () => {
    const candidates = [
      c('webgpu', 0.1, { software: true }),
      c('webgl', 0.2, { software: true }),
      c('wasm', 3),
      c('cpu', 9),
    ];
    expect(chooseBackend(candidates).name).toBe('wasm');
  });

  it('uses a software GPU only when wasm is missing and it is fastest', () => {
    expect(
      chooseBackend([c('webgl', 1, { software: true }), c('cpu', 9), c('wasm', null, { available: false })]).name,
    ).toBe('webgl');
  });

  it('honours an available override and ignores an unavailable one', () => {
    expect(chooseBackend([c('wasm', 1), c('cpu', 9)], 'cpu')).toEqual({
      name: 'cpu',
      reason: 'user override (cpu)',
      reasonKey: 'override',
      reasonParams: { backend: 'cpu' },
    });
    const fallback = chooseBackend([c('wasm', 1), c('webgpu', null, { available: false })], 'webgpu');
    expect(fallback.name).toBe('wasm');
    expect(fallback.reason).toMatch(/override webgpu unavailable/);
    // The UI translates the key with its params (the English `reason` is for logs only).
    expect(fallback).toMatchObject({
      reasonKey: 'overrideUnavailableFastest',
      reasonParams: { override: 'webgpu', backend: 'wasm', ms: 1 },
    });
  });

  it('falls back to wasm then cpu without measurements', () => {
    expect(chooseBackend([c('cpu', null), c('wasm', null)])).toMatchObject({
      name: 'wasm',
      reasonKey: 'fallback',
      reasonParams: { backend: 'wasm' },
    });
    expect(chooseBackend([])).toMatchObject({ name: 'cpu', reasonKey: 'nothing' });
    expect(chooseBackend([], 'webgl')).toMatchObject({
      reasonKey: 'overrideUnavailableNothing',
      reasonParams: { override: 'webgl' },
    });
  });
});

describe('isSoftwareRenderer', () => {
  it('recognises SwiftShader and llvmpipe', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)')).toBe(
      true,
    );
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060)')).toBe(false);
  });
});

describe('probeBackends in Node', () => {
  it('measures cpu, reports the others as unavailable, and leaks nothing', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const report = await probeBackends({ names: ['webgpu', 'cpu'], size: 32, reps: 2 });
    expect(report.active).toBe('cpu');
    const cpu = report.candidates.find((x) => x.name === 'cpu')!;
    expect(cpu.available).toBe(true);
    expect(cpu.msPerOp).toBeGreaterThan(0);
    expect(report.candidates.find((x) => x.name === 'webgpu')!.available).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });
});
