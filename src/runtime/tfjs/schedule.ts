/** Learning-rate schedules, as functions of the epoch (from 0) and the run's length. */
import { UsageError } from '../../core/errors.js';
import { SCHEDULES, type ScheduleName } from '../../core/sets.js';
import { messages } from '../../core/messages.js';

export interface ScheduleConfig {
  name: ScheduleName;
  /** Base learning rate. */
  lr: number;
  /** step: epochs between drops (default: a third of the run, at least 1). */
  stepEvery?: number;
  /** step: factor of each drop (default 0.1). */
  gamma?: number;
  /** cosine: the rate it decays to at the end (default 0). */
  minLr?: number;
}

/**
 * The learning rate of an epoch: constant; step multiplies by gamma every `stepEvery` epochs;
 * cosine anneals from lr to minLr over the run, lr_e = min + (lr - min)·(1 + cos(π·e/E))/2.
 */
export function learningRate(s: ScheduleConfig, epoch: number, epochs: number): number {
  if (!SCHEDULES.includes(s.name)) throw new UsageError((o) => messages.badOption('schedule', SCHEDULES.join(', '), s.name, o));
  if (!(s.lr > 0)) throw new UsageError((o) => messages.badOption('lr', 'a number > 0', s.lr, o));
  switch (s.name) {
    case 'constant':
      return s.lr;
    case 'step': {
      const every = s.stepEvery ?? Math.max(1, Math.floor(epochs / 3));
      return s.lr * (s.gamma ?? 0.1) ** Math.floor(epoch / every);
    }
    case 'cosine': {
      const min = s.minLr ?? 0;
      return min + ((s.lr - min) * (1 + Math.cos((Math.PI * epoch) / epochs))) / 2;
    }
  }
}
