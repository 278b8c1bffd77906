/**
 * Per-kernel CPU profile of training steps on the wasm backend. Every wasm kernel is wrapped to
 * add up the process CPU time (user + system) it takes, so the figures hold on a machine shared
 * with other work, where wall-clock times (tf.profile's) swing with the load. With one XNNPACK
 * thread the process time is the kernel's own; with more, idle workers spinning add to it.
 */
import * as tf from '@tensorflow/tfjs';

/** CPU milliseconds and calls per kernel name. */
export type KernelProfile = Map<string, { ms: number; calls: number }>;

/** Runs `f` with every wasm kernel timed; nested kernel calls count towards their caller only. */
export async function profileKernels(f: () => Promise<void>): Promise<KernelProfile> {
  const profile: KernelProfile = new Map();
  const originals = tf.getKernelsForBackend('wasm');
  let depth = 0;
  for (const k of originals) {
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        if (depth > 0) return k.kernelFunc(args);
        depth++;
        const start = process.cpuUsage();
        try {
          return k.kernelFunc(args);
        } finally {
          const used = process.cpuUsage(start);
          depth--;
          const e = profile.get(k.kernelName) ?? { ms: 0, calls: 0 };
          e.ms += (used.user + used.system) / 1000;
          e.calls += 1;
          profile.set(k.kernelName, e);
        }
      },
    });
  }
  try {
    await f();
  } finally {
    for (const k of originals) {
      tf.unregisterKernel(k.kernelName, 'wasm');
      tf.registerKernel(k);
    }
  }
  return profile;
}

/** The profile as a table, per step, largest first; kernels under 0.5% are summed as one row. */
export function profileTable(p: KernelProfile, steps: number, stepCpuMs: number): string {
  const total = [...p.values()].reduce((s, e) => s + e.ms, 0);
  const lines = [`${'kernel'.padEnd(36)}${'cpu ms/step'.padStart(12)}${'share'.padStart(8)}${'calls/step'.padStart(12)}`];
  let small = 0;
  for (const [name, e] of [...p].sort((a, b) => b[1].ms - a[1].ms)) {
    if (e.ms / total < 0.005) {
      small += e.ms;
      continue;
    }
    lines.push(`${name.padEnd(36)}${(e.ms / steps).toFixed(2).padStart(12)}${`${((100 * e.ms) / total).toFixed(1)}%`.padStart(8)}${(e.calls / steps).toFixed(0).padStart(12)}`);
  }
  lines.push(`${'(other kernels)'.padEnd(36)}${(small / steps).toFixed(2).padStart(12)}`);
  lines.push(`${'kernels in total'.padEnd(36)}${(total / steps).toFixed(2).padStart(12)}`);
  lines.push(`${'whole step (JS, tape, optimizer)'.padEnd(36)}${stepCpuMs.toFixed(2).padStart(12)}`);
  return lines.join('\n');
}
