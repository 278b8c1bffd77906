/** Messages about the files and folders convlab writes and the paths it reads from manifests and data sets. */
import { asKey, show, type Spell } from './text.js';

/** Messages of output folders and confined paths. */
export const fileMessages = {
  badFolder: (dir: string, what: string, reason: string) => `cannot use ${dir} as the ${what}: ${reason}`,
  folderInUse: (dir: string, what: string, o: Spell = asKey) =>
    `${dir} already holds files (the ${what} of an earlier run); continue it with ${o('resume')}, replace it with ${o('force')}, or choose another folder`,
  pathEscapes: (file: string, path: string, folder: string) =>
    `${file}: path ${show(path)} leads outside ${folder} (through .. or a symbolic link); files it names must stay inside that folder`,
  notRegularFile: (file: string, path: string) => `${file}: ${path} is not a regular file (a folder, device or pipe); name a file`,
} as const;
