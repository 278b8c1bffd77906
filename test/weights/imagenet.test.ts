/** Keras' published ImageNet weights: one file per zoo id and variant, checked as Keras checks the options; the class names. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import { IMAGENET_IDS, imagenetWeights } from '../../src/weights/imagenet.js';
import { IMAGENET_CLASSES } from '../../src/weights/imagenet_classes.js';
import { messages } from '../../src/core/messages.js';
import { getEntry, listModels } from '../../src/zoo/index.js';

const input = (id: string) => getEntry(id).meta.input;

describe('published ImageNet weights', () => {
  it('exist for every Keras Applications family in the zoo', () => {
    const keras = listModels().filter((m) => m.reference === 'keras' && !['lenet5', 'alexnet', 'zfnet', 'googlenet'].includes(m.id)).map((m) => m.id);
    assert.deepEqual(keras.filter((id) => !IMAGENET_IDS.includes(id)), []);
  });
  for (const id of IMAGENET_IDS) {
    it(`${id}: a top and a headless file, each with its URL and an MD5 or none`, () => {
      const top = imagenetWeights(id, {}, input(id));
      const notop = imagenetWeights(id, { includeTop: false }, input(id));
      assert.notEqual(top.file, notop.file);
      for (const w of [top, notop]) {
        assert.match(w.url, /^https:\/\/storage\.googleapis\.com\//);
        assert.match(w.file, /\.h5$/);
        if (w.md5 !== null) assert.match(w.md5, /^[0-9a-f]{32}$/);
      }
    });
  }
  it('names files as Keras does for its variants', () => {
    assert.equal(imagenetWeights('resnet50', {}, [224, 224, 3]).file, 'resnet50_weights_tf_dim_ordering_tf_kernels.h5');
    assert.equal(imagenetWeights('resnet50_v2', { includeTop: false }, [224, 224, 3]).file, 'resnet50v2_weights_tf_dim_ordering_tf_kernels_notop.h5');
    assert.equal(imagenetWeights('mobilenet', { alpha: 0.5, input: [160, 160, 3], includeTop: false }, [224, 224, 3]).file, 'mobilenet_5_0_160_tf_no_top.h5');
    assert.equal(imagenetWeights('mobilenet_v2', { alpha: 0.35, includeTop: false, input: [100, 100, 3] }, [224, 224, 3]).file,
      'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top.h5');
    assert.equal(imagenetWeights('mobilenet_v3_small', { minimalistic: true }, [224, 224, 3]).file, 'weights_mobilenet_v3_small_minimalistic_224_1.0_float.h5');
    assert.equal(imagenetWeights('mobilenet_v3_large', { alpha: 0.75, includeTop: false }, [224, 224, 3]).file, 'weights_mobilenet_v3_large_224_0.75_float_no_top_v2.h5');
    const nasnet = imagenetWeights('nasnet_large', { includeTop: false }, [331, 331, 3]);
    assert.equal(nasnet.file, 'nasnet_large_no_top.h5');
    assert.match(nasnet.url, /NASNet-large-no-top\.h5$/);
    const b3 = imagenetWeights('efficientnet_b3', {}, [300, 300, 3]);
    assert.equal(b3.url, 'https://storage.googleapis.com/keras-applications/efficientnetb3.h5');
    assert.deepEqual(b3.varianceTimesStd, [0.229, 0.224, 0.225]);
  });
  it('refuses what Keras refuses: another class count or size with the top, unpublished widths, models without weights', () => {
    assert.throws(() => imagenetWeights('resnet50', { classes: 10 }, [224, 224, 3]), new UsageError(messages.imagenetClasses('resnet50', 10)));
    assert.throws(() => imagenetWeights('resnet50', { input: [160, 160, 3] }, [224, 224, 3]), new UsageError(messages.imagenetInput('resnet50', [224, 224, 3], [160, 160, 3])));
    assert.doesNotThrow(() => imagenetWeights('resnet50', { input: [160, 160, 3], includeTop: false }, [224, 224, 3]));
    assert.throws(() => imagenetWeights('mobilenet_v2', { alpha: 0.6 }, [224, 224, 3]), new UsageError(messages.imagenetOption('mobilenet_v2', '--alpha', '0.35, 0.5, 0.75, 1, 1.3, 1.4', 0.6)));
    assert.throws(() => imagenetWeights('lenet5', {}, [32, 32, 1]), new UsageError(messages.noImagenet('lenet5', IMAGENET_IDS)));
  });
});

describe('ImageNet class names', () => {
  it('are the 1,000 of Keras decode_predictions, in index order', () => {
    assert.equal(IMAGENET_CLASSES.length, 1000);
    assert.equal(IMAGENET_CLASSES[0], 'tench');
    assert.equal(IMAGENET_CLASSES[386], 'African_elephant');
    assert.equal(IMAGENET_CLASSES[999], 'toilet_tissue');
    assert.equal(new Set(IMAGENET_CLASSES).size, 998, 'crane and maillot appear twice, as in Keras');
  });
});
