#!/usr/bin/python3
"""Keras-layout weight files for convlab's tests, written with h5py and NumPy only (no Keras).

Follows Keras' own saving code:
- legacy_h5_format.save_weights_to_hdf5_group: root attribute `layer_names` (every layer of
  model.layers, in order), `backend`, `keras_version`; one group per layer (created in sorted
  name order) with `weight_names` and each weight as a dataset at that path;
- legacy_h5_format.save_model_to_hdf5: the same under `model_weights/`, with `model_config`;
- saving_lib (Keras 3): `.weights.h5` with `layers/<class in snake case>[_n]/vars/<i>` for every
  layer of model.layers, a top-level `vars` group, and `.keras` = zip of metadata.json,
  config.json and model.weights.h5.
Model layer order (model.layers) is computed the way Keras' functional map_graph does it.

Models: `small` (every weighted layer kind convlab reads, with a NumPy forward pass as the
reference output in small.reference.json), and ResNet50 and MobileNetV2 at full size written like the published files
(Keras 2 save_weights with their older classifier names, `probs` and `Logits`). Weights are
random and seeded.

Usage: keras_fixtures.py OUT_DIR
"""
import json
import os
import re
import sys
import zipfile

import h5py
import numpy as np


class Net:
    """A functional model as Keras would hold it: layers with config, inbound layers and weights."""

    def __init__(self, name, input_shape):
        self.name = name
        self.layers = []
        self.by_name = {}
        self.input = self.add('input_1', 'InputLayer', [], {'batch_input_shape': [None] + list(input_shape), 'dtype': 'float32'})
        self.shapes = {'input_1': tuple(input_shape)}

    def add(self, name, cls, inputs, config, weights=()):
        layer = {'name': name, 'cls': cls, 'inputs': list(inputs), 'config': dict(config, name=name), 'weights': list(weights)}
        self.layers.append(layer)
        self.by_name[name] = layer
        return name

    def order(self, outputs):
        """Keras' map_graph: DFS from the outputs (first visit noted), depth = longest path to an output."""
        visit, finished, post = {}, set(), []

        def walk(n):
            if n in finished:
                return
            visit.setdefault(n, len(visit))
            for i in self.by_name[n]['inputs']:
                walk(i)
            finished.add(n)
            post.append(n)

        sys.setrecursionlimit(10000)
        for o in outputs:
            walk(o)
        depth = {}
        for n in reversed(post):
            d = depth.get(n, 0)
            for p in self.by_name[n]['inputs']:
                depth[p] = max(d + 1, depth.get(p, 0))
        return sorted(post, key=lambda n: (-depth.get(n, 0), visit[n]))


def snake(name):
    """Keras' naming.to_snake_case."""
    name = re.sub(r'\W+', '', name)
    name = re.sub('(.)([A-Z][a-z]+)', r'\1_\2', name)
    return re.sub('([a-z])([A-Z])', r'\1_\2', name).lower()


# ---- layers, with the weights Keras creates for them (legacy order: trainable, then non-trainable)

def conv(net, x, name, filters, k, strides=1, padding='valid', bias=True, activation='linear', cin=None):
    cin = cin or net.shapes[x][-1]
    k = (k, k) if isinstance(k, int) else tuple(k)
    w = [('kernel', k + (cin, filters))] + ([('bias', (filters,))] if bias else [])
    net.add(name, 'Conv2D', [x], {'filters': filters, 'kernel_size': list(k), 'strides': [strides, strides], 'padding': padding,
                                  'dilation_rate': [1, 1], 'activation': activation, 'use_bias': bias}, w)
    net.shapes[name] = out_shape(net.shapes[x], k, strides, padding, filters)
    return name


def depthwise(net, x, name, k, strides=1, padding='valid', bias=False):
    cin = net.shapes[x][-1]
    w = [('depthwise_kernel', (k, k, cin, 1))] + ([('bias', (cin,))] if bias else [])
    net.add(name, 'DepthwiseConv2D', [x], {'kernel_size': [k, k], 'strides': [strides, strides], 'padding': padding,
                                           'depth_multiplier': 1, 'activation': 'linear', 'use_bias': bias}, w)
    net.shapes[name] = out_shape(net.shapes[x], (k, k), strides, padding, cin)
    return name


def separable(net, x, name, filters, k, padding='same', bias=True):
    cin = net.shapes[x][-1]
    w = [('depthwise_kernel', (k, k, cin, 1)), ('pointwise_kernel', (1, 1, cin, filters))] + ([('bias', (filters,))] if bias else [])
    net.add(name, 'SeparableConv2D', [x], {'filters': filters, 'kernel_size': [k, k], 'strides': [1, 1], 'padding': padding,
                                           'depth_multiplier': 1, 'activation': 'linear', 'use_bias': bias}, w)
    net.shapes[name] = out_shape(net.shapes[x], (k, k), 1, padding, filters)
    return name


def bn(net, x, name, eps=1e-3):
    c = net.shapes[x][-1]
    w = [('gamma', (c,)), ('beta', (c,)), ('moving_mean', (c,)), ('moving_variance', (c,))]
    net.add(name, 'BatchNormalization', [x], {'axis': -1, 'epsilon': eps, 'momentum': 0.99, 'center': True, 'scale': True}, w)
    net.shapes[name] = net.shapes[x]
    return name


def dense(net, x, name, units, activation='linear'):
    nin = net.shapes[x][-1]
    net.add(name, 'Dense', [x], {'units': units, 'activation': activation, 'use_bias': True}, [('kernel', (nin, units)), ('bias', (units,))])
    net.shapes[name] = (units,)
    return name


def plain(net, xs, name, cls, config, shape):
    net.add(name, cls, xs, config)
    net.shapes[name] = shape
    return name


def act(net, x, name, fn):
    return plain(net, [x], name, 'Activation', {'activation': fn}, net.shapes[x])


def relu6(net, x, name):
    return plain(net, [x], name, 'ReLU', {'max_value': 6.0, 'negative_slope': 0.0, 'threshold': 0.0}, net.shapes[x])


def zeropad(net, x, name, pad):
    (t, b), (l, r) = pad
    h, w, c = net.shapes[x]
    return plain(net, [x], name, 'ZeroPadding2D', {'padding': [[t, b], [l, r]]}, (h + t + b, w + l + r, c))


def pool(net, x, name, cls, k, strides, padding='valid'):
    h, w, c = net.shapes[x]
    return plain(net, [x], name, cls, {'pool_size': [k, k], 'strides': [strides, strides], 'padding': padding},
                 out_shape((h, w, c), (k, k), strides, padding, c))


def gap(net, x, name):
    return plain(net, [x], name, 'GlobalAveragePooling2D', {}, (net.shapes[x][-1],))


def add(net, xs, name):
    return plain(net, xs, name, 'Add', {}, net.shapes[xs[0]])


def out_shape(shape, k, s, padding, c):
    h, w = shape[0], shape[1]
    if padding == 'same':
        return (-(-h // s), -(-w // s), c)
    return ((h - k[0]) // s + 1, (w - k[1]) // s + 1, c)


# ---- the models

def small():
    """Every weighted layer kind convlab reads, with branches, an add and a concatenation."""
    net = Net('small', (12, 12, 3))
    x = conv(net, 'input_1', 'conv1', 8, 3, padding='same', activation='relu')
    x = bn(net, x, 'bn1')
    d = depthwise(net, x, 'dw', 3, padding='same', bias=True)
    d = bn(net, d, 'dw_bn')
    d = relu6(net, d, 'dw_relu')
    a = conv(net, d, 'branch_a', 8, 1, bias=False)
    s = separable(net, x, 'branch_b', 8, 3)
    s = act(net, s, 'branch_b_relu', 'relu')
    y = add(net, [a, s], 'add')
    p = pool(net, x, 'pool', 'MaxPooling2D', 2, 1, 'same')
    y = plain(net, [y, p], 'concat', 'Concatenate', {'axis': -1}, (12, 12, 16))
    y = pool(net, y, 'pool2', 'AveragePooling2D', 2, 2)
    y = gap(net, y, 'gap')
    y = dense(net, y, 'predictions', 5, activation='softmax')
    return net, [y]


def resnet50(top=True):
    """keras/src/applications/resnet.py ResNet50, with the classifier named as the published file names it (`probs`)."""
    net = Net('resnet50', (224, 224, 3))
    x = zeropad(net, 'input_1', 'conv1_pad', ((3, 3), (3, 3)))
    x = conv(net, x, 'conv1_conv', 64, 7, strides=2)
    x = bn(net, x, 'conv1_bn', 1.001e-5)
    x = act(net, x, 'conv1_relu', 'relu')
    x = zeropad(net, x, 'pool1_pad', ((1, 1), (1, 1)))
    x = pool(net, x, 'pool1_pool', 'MaxPooling2D', 3, 2)

    def block(x, filters, stride, shortcut, name):
        if shortcut:
            sc = conv(net, x, name + '_0_conv', 4 * filters, 1, strides=stride)
            sc = bn(net, sc, name + '_0_bn', 1.001e-5)
        else:
            sc = x
        y = conv(net, x, name + '_1_conv', filters, 1, strides=stride)
        y = bn(net, y, name + '_1_bn', 1.001e-5)
        y = act(net, y, name + '_1_relu', 'relu')
        y = conv(net, y, name + '_2_conv', filters, 3, padding='same')
        y = bn(net, y, name + '_2_bn', 1.001e-5)
        y = act(net, y, name + '_2_relu', 'relu')
        y = conv(net, y, name + '_3_conv', 4 * filters, 1)
        y = bn(net, y, name + '_3_bn', 1.001e-5)
        y = add(net, [sc, y], name + '_add')
        return act(net, y, name + '_out', 'relu')

    for stage, (filters, blocks, stride1) in enumerate([(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]):
        name = 'conv%d' % (stage + 2)
        x = block(x, filters, stride1, True, name + '_block1')
        for i in range(2, blocks + 1):
            x = block(x, filters, 1, False, name + '_block' + str(i))
    if top:
        x = gap(net, x, 'avg_pool')
        x = dense(net, x, 'probs', 1000, activation='softmax')
    return net, [x]


def mobilenet_v2(top=True):
    """keras/src/applications/mobilenet_v2.py at alpha 1.0, 224, with the classifier named `Logits` as the published file does."""
    net = Net('mobilenetv2_1.00_224', (224, 224, 3))

    def divisible(v, d=8):
        n = max(d, int(v + d / 2) // d * d)
        return n + d if n < 0.9 * v else n

    def correct_pad(x, k):
        h, w = net.shapes[x][:2]
        adj = (1 - h % 2, 1 - w % 2)
        c = k // 2
        return ((c - adj[0], c), (c - adj[1], c))

    x = conv(net, 'input_1', 'Conv1', divisible(32), 3, strides=2, padding='same', bias=False)
    x = bn(net, x, 'bn_Conv1')
    x = relu6(net, x, 'Conv1_relu')

    def block(x, expansion, stride, filters, block_id):
        cin = net.shapes[x][-1]
        pw = divisible(int(filters))
        inputs = x
        prefix = 'block_%d_' % block_id
        if block_id:
            x = conv(net, x, prefix + 'expand', expansion * cin, 1, padding='same', bias=False)
            x = bn(net, x, prefix + 'expand_BN')
            x = relu6(net, x, prefix + 'expand_relu')
        else:
            prefix = 'expanded_conv_'
        if stride == 2:
            x = zeropad(net, x, prefix + 'pad', correct_pad(x, 3))
        x = depthwise(net, x, prefix + 'depthwise', 3, strides=stride, padding='same' if stride == 1 else 'valid')
        x = bn(net, x, prefix + 'depthwise_BN')
        x = relu6(net, x, prefix + 'depthwise_relu')
        x = conv(net, x, prefix + 'project', pw, 1, padding='same', bias=False)
        x = bn(net, x, prefix + 'project_BN')
        if cin == pw and stride == 1:
            return add(net, [inputs, x], prefix + 'add')
        return x

    spec = [(1, 1, 16), (6, 2, 24), (6, 1, 24), (6, 2, 32), (6, 1, 32), (6, 1, 32), (6, 2, 64), (6, 1, 64), (6, 1, 64),
            (6, 1, 64), (6, 1, 96), (6, 1, 96), (6, 1, 96), (6, 2, 160), (6, 1, 160), (6, 1, 160), (6, 1, 320)]
    for i, (e, s, f) in enumerate(spec):
        x = block(x, e, s, f, i)
    x = conv(net, x, 'Conv_1', 1280, 1, bias=False)
    x = bn(net, x, 'Conv_1_bn')
    x = relu6(net, x, 'out_relu')
    if top:
        x = gap(net, x, 'global_average_pooling2d_1')
        x = dense(net, x, 'Logits', 1000, activation='softmax')
    return net, [x]


# ---- weights and the NumPy reference

def random_weights(net, seed):
    rng = np.random.default_rng(seed)
    values = {}
    for layer in net.layers:
        for wname, shape in layer['weights']:
            if wname == 'moving_variance' or wname == 'gamma':
                v = rng.uniform(0.5, 1.5, shape)
            elif wname in ('beta', 'moving_mean', 'bias'):
                v = rng.normal(0, 0.1, shape)
            else:
                fan_in = int(np.prod(shape[:-1])) if len(shape) > 1 else 1
                v = rng.normal(0, 1 / np.sqrt(max(fan_in, 1)), shape)
            values[(layer['name'], wname)] = v.astype(np.float32)
    return values


def conv2d(x, k, stride, padding):
    """NHWC x, HWIO k; TensorFlow's 'same' pads the extra row and column at the bottom and right."""
    kh, kw = k.shape[:2]
    if padding == 'same':
        h, w = x.shape[1:3]
        ph = max((-(-h // stride) - 1) * stride + kh - h, 0)
        pw = max((-(-w // stride) - 1) * stride + kw - w, 0)
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    n, h, w, c = x.shape
    oh, ow = (h - kh) // stride + 1, (w - kw) // stride + 1
    out = np.zeros((n, oh, ow, k.shape[3]), np.float64)
    for i in range(kh):
        for j in range(kw):
            patch = x[:, i:i + stride * oh:stride, j:j + stride * ow:stride, :]
            out += patch @ k[i, j]
    return out


def depthwise2d(x, k, stride, padding):
    c = x.shape[-1]
    return np.concatenate([conv2d(x[..., ci:ci + 1], k[:, :, ci:ci + 1, :], stride, padding) for ci in range(c)], axis=-1)


def pool2d(x, k, stride, padding, fn):
    if padding == 'same':
        h, w = x.shape[1:3]
        ph = max((-(-h // stride) - 1) * stride + k - h, 0)
        pw = max((-(-w // stride) - 1) * stride + k - w, 0)
        fill = -np.inf if fn is np.max else np.nan
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)), constant_values=fill)
    n, h, w, c = x.shape
    oh, ow = (h - k) // stride + 1, (w - k) // stride + 1
    windows = np.stack([x[:, i:i + stride * oh:stride, j:j + stride * ow:stride, :] for i in range(k) for j in range(k)])
    return fn(windows, axis=0) if fn is np.max else np.nanmean(windows, axis=0)


ACTIVATIONS = {
    'linear': lambda v: v,
    'relu': lambda v: np.maximum(v, 0),
    'softmax': lambda v: np.exp(v - v.max(-1, keepdims=True)) / np.exp(v - v.max(-1, keepdims=True)).sum(-1, keepdims=True),
}


def forward(net, outputs, weights, x):
    """The model on a batch, in float64, layer by layer in Keras' order."""
    vals = {'input_1': x.astype(np.float64)}
    for name in net.order(outputs):
        layer = net.by_name[name]
        cls, c = layer['cls'], layer['config']
        ins = [vals[i] for i in layer['inputs']]
        w = {wn: weights[(name, wn)].astype(np.float64) for wn, _ in layer['weights']}
        if cls == 'InputLayer':
            continue
        if cls == 'Conv2D':
            y = conv2d(ins[0], w['kernel'], c['strides'][0], c['padding']) + w.get('bias', 0)
            y = ACTIVATIONS[c['activation']](y)
        elif cls == 'DepthwiseConv2D':
            y = depthwise2d(ins[0], w['depthwise_kernel'], c['strides'][0], c['padding']) + w.get('bias', 0)
        elif cls == 'SeparableConv2D':
            y = depthwise2d(ins[0], w['depthwise_kernel'], 1, c['padding'])
            y = conv2d(y, w['pointwise_kernel'], 1, 'valid') + w.get('bias', 0)
        elif cls == 'BatchNormalization':
            y = (ins[0] - w['moving_mean']) / np.sqrt(w['moving_variance'] + c['epsilon']) * w['gamma'] + w['beta']
        elif cls == 'Dense':
            y = ACTIVATIONS[c['activation']](ins[0] @ w['kernel'] + w['bias'])
        elif cls == 'Activation':
            y = ACTIVATIONS[c['activation']](ins[0])
        elif cls == 'ReLU':
            y = np.clip(ins[0], 0, c['max_value'])
        elif cls == 'Add':
            y = ins[0] + ins[1]
        elif cls == 'Concatenate':
            y = np.concatenate(ins, axis=-1)
        elif cls in ('MaxPooling2D', 'AveragePooling2D'):
            y = pool2d(ins[0], c['pool_size'][0], c['strides'][0], c['padding'], np.max if cls == 'MaxPooling2D' else np.mean)
        elif cls == 'GlobalAveragePooling2D':
            y = ins[0].mean(axis=(1, 2))
        else:
            raise ValueError('no reference for ' + cls)
        vals[name] = y
    return [vals[o] for o in outputs]


# ---- the file layouts

def keras2_config(net, outputs):
    layers = []
    for l in net.layers:
        inbound = [[[i, 0, 0, {}] for i in l['inputs']]] if l['inputs'] else []
        layers.append({'class_name': l['cls'], 'config': l['config'], 'name': l['name'], 'inbound_nodes': inbound})
    return {'class_name': 'Functional', 'config': {'name': net.name, 'layers': layers, 'input_layers': [['input_1', 0, 0]],
                                                   'output_layers': [[o, 0, 0] for o in outputs]}}


def keras3_config(net, outputs, order):
    layers = []
    for name in order:
        l = net.by_name[name]
        cfg = dict(l['config'])
        if l['cls'] == 'InputLayer':
            cfg = {'batch_shape': cfg['batch_input_shape'], 'dtype': 'float32', 'sparse': False, 'name': name}
        args = [{'class_name': '__keras_tensor__', 'config': {'shape': [None] + list(net.shapes[i]), 'dtype': 'float32',
                                                              'keras_history': [i, 0, 0]}} for i in l['inputs']]
        inbound = [{'args': [args] if len(args) > 1 else args, 'kwargs': {}}] if args else []
        layers.append({'module': 'keras.layers', 'class_name': l['cls'], 'config': cfg, 'registered_name': None,
                       'name': name, 'inbound_nodes': inbound})
    return {'module': 'keras.src.models.functional', 'class_name': 'Functional', 'registered_name': 'Functional',
            'config': {'name': net.name, 'trainable': True, 'layers': layers, 'input_layers': [['input_1', 0, 0]],
                       'output_layers': [[o, 0, 0] for o in outputs]}}


def write_weights_group(g, net, order, weights, legacy_names, vlen):
    """legacy_h5_format.save_weights_to_hdf5_group: layer_names in order, groups created in sorted name order."""
    strings = (lambda xs: xs) if vlen else (lambda xs: np.array([s.encode('utf8') for s in xs], dtype='S'))
    g.attrs['layer_names'] = strings(order)
    g.attrs['backend'] = 'tensorflow' if vlen else b'tensorflow'
    g.attrs['keras_version'] = '3.6.0' if vlen else b'2.2.4'
    for name in sorted(order):
        lg = g.create_group(name)
        layer = net.by_name[name]
        wnames = [('%s/%s:0' % (name, wn)) if legacy_names else ('%s/%s' % (name, wn)) for wn, _ in layer['weights']]
        lg.attrs['weight_names'] = strings(wnames)
        for (wn, _), path in zip(layer['weights'], wnames):
            lg.create_dataset(path, data=weights[(name, wn)])


def write_keras3_weights(path_or_file, net, order, weights):
    """saving_lib: layers/<snake class>[_n]/vars/<i> for every layer of model.layers, plus a top-level vars group."""
    with h5py.File(path_or_file, 'w') as f:
        f.create_group('vars')
        used = {}
        for name in order:
            layer = net.by_name[name]
            s = snake(layer['cls'])
            if s in used:
                used[s] += 1
                s = '%s_%d' % (s, used[s])
            else:
                used[s] = 0
            vg = f.create_group('layers/' + s).create_group('vars')
            for i, (wn, _) in enumerate(layer['weights']):
                vg[str(i)] = weights[(name, wn)]


def write_all(out, net, outputs, weights, stem, layouts):
    order = net.order(outputs)
    if 'keras2-weights' in layouts:
        with h5py.File(os.path.join(out, stem + '.h5'), 'w') as f:
            write_weights_group(f, net, order, weights, legacy_names=True, vlen=False)
    if 'keras2-model' in layouts:
        with h5py.File(os.path.join(out, stem + '.model.h5'), 'w') as f:
            f.attrs['model_config'] = json.dumps(keras2_config(net, outputs))
            f.attrs['keras_version'] = '3.6.0'
            f.attrs['backend'] = 'tensorflow'
            write_weights_group(f.create_group('model_weights'), net, order, weights, legacy_names=False, vlen=True)
    if 'keras3-weights' in layouts:
        write_keras3_weights(os.path.join(out, stem + '.weights.h5'), net, order, weights)
    if 'keras-archive' in layouts:
        tmp = os.path.join(out, stem + '.tmp.weights.h5')
        write_keras3_weights(tmp, net, order, weights)
        with zipfile.ZipFile(os.path.join(out, stem + '.keras'), 'w') as z:
            z.writestr('metadata.json', json.dumps({'keras_version': '3.6.0', 'date_saved': '2025-01-01@00:00:00'}))
            z.writestr('config.json', json.dumps(keras3_config(net, outputs, order)))
            z.write(tmp, 'model.weights.h5')
        os.remove(tmp)
    if 'topology' in layouts:
        with open(os.path.join(out, stem + '.model.json'), 'w') as f:
            json.dump({'modelTopology': {'model_config': keras2_config(net, outputs)}}, f)
    with open(os.path.join(out, stem + '.layers.json'), 'w') as f:
        json.dump({'order': order}, f)


def main(out):
    os.makedirs(out, exist_ok=True)
    net, outputs = small()
    weights = random_weights(net, 1)
    x = np.random.default_rng(2).uniform(0, 1, (2, 12, 12, 3)).astype(np.float32)
    (y,) = forward(net, outputs, weights, x)
    with open(os.path.join(out, 'small.reference.json'), 'w') as f:
        json.dump({'input': x.ravel().tolist(), 'inputShape': list(x.shape), 'output': y.ravel().tolist(), 'outputShape': list(y.shape)}, f)
    write_all(out, net, outputs, weights, 'small', ['keras2-weights', 'keras2-model', 'keras3-weights', 'keras-archive', 'topology'])
    for build, stem, seed in [(resnet50, 'resnet50', 3), (mobilenet_v2, 'mobilenet_v2', 4)]:
        for top in (True, False):
            net, outputs = build(top)
            write_all(out, net, outputs, random_weights(net, seed), stem + ('' if top else '_notop'), ['keras2-weights'])
    print(out)


if __name__ == '__main__':
    main(sys.argv[1])
