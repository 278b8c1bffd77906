/**
 * Image folders as data sets: classes are subfolders sorted as Python sorts them (the indices
 * image_dataset_from_directory and ImageFolder give), images are stretched to the model input,
 * and an empty class or a file that is not an image is an error naming the folder or file.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { DataError, UsageError } from '../../src/core/errors.js';
import { folderClassCount, folderOf, folderSplitDir, readImageFolder } from '../../src/data/folder.js';
import { messages } from '../../src/core/messages.js';

let root: string;

/** A width×height PNG filled with one RGB colour. */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const img = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) img.data.set([...rgb, 255], i * 4);
  return PNG.sync.write(img);
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'convlab-folder-'));
  const tree = join(root, 'tree');
  // 'Zebra' sorts before 'apple' by code point, as Python's sorted() puts it.
  for (const c of ['apple', 'Zebra', 'banana']) mkdirSync(join(tree, c), { recursive: true });
  writeFileSync(join(tree, 'apple', 'b.png'), png(4, 6, [255, 0, 0]));
  writeFileSync(join(tree, 'apple', 'a.png'), png(8, 8, [0, 255, 0]));
  const data = Buffer.alloc(5 * 5 * 4, 255);
  writeFileSync(join(tree, 'banana', 'one.JPG'), jpeg.encode({ data, width: 5, height: 5 }, 95).data);
  writeFileSync(join(tree, 'banana', 'notes.txt'), 'not an image, skipped as Keras skips it');
  writeFileSync(join(tree, 'Zebra', 'z.png'), png(2, 2, [0, 0, 255]));
  writeFileSync(join(tree, '.hidden'), '');
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('readImageFolder', () => {
  test('classes sorted by code point, files sorted within a class, images stretched to the input', () => {
    const set = readImageFolder(join(root, 'tree'), [3, 3, 3]);
    assert.deepEqual(set.classes, ['Zebra', 'apple', 'banana']);
    assert.deepEqual(set.files.map((f) => f.slice(join(root, 'tree').length + 1)), ['Zebra/z.png', 'apple/a.png', 'apple/b.png', 'banana/one.JPG']);
    assert.deepEqual([...set.labels], [0, 1, 1, 2]);
    assert.deepEqual(set.shape, [3, 3, 3]);
    assert.equal(set.count, 4);
    // A flat colour stays that colour whatever the resize.
    assert.deepEqual([...set.images.subarray(0, 3)], [0, 0, 255]);
    assert.deepEqual([...set.images.subarray(27, 30)], [0, 255, 0]);
    assert.deepEqual([...set.images.subarray(54, 57)], [255, 0, 0]);
    const white = set.images.subarray(81, 108);
    assert.ok(white.every((v) => v > 250), 'the JPEG is white after decoding');
  });

  test('gray models get one channel; limit keeps the first samples in class order', () => {
    const set = readImageFolder(join(root, 'tree'), [2, 2, 1], { limit: 2 });
    assert.equal(set.count, 2);
    assert.equal(set.images.length, 8);
    assert.ok(Math.abs(set.images[0]! - 0.114 * 255) < 1e-3);
  });

  test('an empty class and a file that is not an image are errors naming the folder or file', () => {
    const bad = join(root, 'bad');
    mkdirSync(join(bad, 'cats'), { recursive: true });
    mkdirSync(join(bad, 'dogs'), { recursive: true });
    writeFileSync(join(bad, 'cats', 'c.png'), png(2, 2, [1, 2, 3]));
    assert.throws(() => readImageFolder(bad, [2, 2, 3]), (e: Error) => e instanceof DataError && e.message === messages.folderEmptyClass(join(bad, 'dogs')));
    writeFileSync(join(bad, 'dogs', 'd.png'), 'this is text with a .png name');
    assert.throws(() => readImageFolder(bad, [2, 2, 3]), (e: Error) => e instanceof DataError && e.message.startsWith(join(bad, 'dogs', 'd.png')));
    assert.throws(() => readImageFolder(join(root, 'tree', 'apple'), [2, 2, 3]), (e: Error) => e instanceof DataError && e.message === messages.folderNoClasses(join(root, 'tree', 'apple')));
  });

  test('folder:PATH names; train/ and test/ side by side are the splits, else the folder is the training split', () => {
    assert.equal(folderOf('folder:/data/photos'), '/data/photos');
    assert.equal(folderOf('cifar10'), undefined);
    const tree = join(root, 'tree');
    assert.equal(folderSplitDir(tree, 'train'), tree);
    assert.equal(folderSplitDir(tree, 'test'), undefined);
    assert.equal(folderClassCount(tree), 3);
    const split = join(root, 'split');
    for (const s of ['train', 'test']) {
      mkdirSync(join(split, s, 'only'), { recursive: true });
      writeFileSync(join(split, s, 'only', 'x.png'), png(2, 2, [9, 9, 9]));
    }
    assert.equal(folderSplitDir(split, 'test'), join(split, 'test'));
    assert.equal(folderClassCount(split), 1);
    assert.throws(() => folderSplitDir(join(root, 'missing'), 'train'), UsageError);
  });
});
