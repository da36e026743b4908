// Profiles one epoch of the bench MLP stage by stage on Node's tfjs-wasm (and tfjs-cpu with
// --cpu) and in the JS engine; prints ms per epoch per stage. See bench/forecast/README.md.
//
//   node bench/train/profile.mjs [--cpu] [--out file.json]

import { log, machine, parseArgs, tsLoader, writeJson } from '../support/common.mjs';

const args = parseArgs(process.argv.slice(2));
const loader = await tsLoader();
const reports = [];
try {
  const { profileMlp } = await loader.load('/bench/train/mlp-profile.ts');
  const { useNodeBackend } = await loader.load('/bench/forecast/node-backends.ts');
  for (const backend of args.cpu ? ['wasm', 'cpu'] : ['wasm']) {
    await useNodeBackend(backend);
    const p = await profileMlp();
    reports.push(p);
    log(`node ${p.backend}: ${p.batches} batches of 256; ${p.opsPerStep} kernels per training step`);
    for (const [stage, ms] of Object.entries(p.tf))
      log(`  tf  ${stage.padEnd(52)} ${ms.toFixed(1).padStart(7)} ms/epoch`);
    log(
      `  tf  ${'summed kernel time of a step (tf.profile) × batches'.padEnd(52)} ${p.kernelMsPerEpoch.toFixed(1).padStart(7)} ms/epoch`,
    );
    log(
      `  kernels per step: ${Object.entries(p.kernelNames)
        .map(([k, c]) => `${k}×${c}`)
        .join(' ')}`,
    );
    for (const [stage, ms] of Object.entries(p.js))
      log(`  js  ${stage.padEnd(52)} ${ms.toFixed(1).padStart(7)} ms/epoch`);
  }
} finally {
  await loader.close();
}
log(`load ${machine().loadavg}`);
log(`JSON: ${writeJson('train-profile', { when: new Date().toISOString(), machine: machine(), reports }, args.out)}`);
