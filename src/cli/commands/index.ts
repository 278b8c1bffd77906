/** Every CLI command, registered in this order. Add a command by adding its module here. */
import type { Command } from 'commander';
import { register as summary } from './summary.js';

export const COMMANDS: Array<(program: Command) => void> = [summary];
