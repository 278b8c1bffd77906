#!/usr/bin/env bash
# Redraws every PNG of docs/charts.md from the built CLI. Run from the repository root after
# `npm run build`, with CONVLAB_DATA pointing at the data sets (the evaluation charts train three
# small models first). Benchmark charts measure this machine: their figures change from run to run.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=docs/charts
convlab() { node dist/src/cli/main.js "$@"; }
data=${CONVLAB_DATA:-../shared/data}

# Accuracy against MACs.
convlab chart accuracy -o $out/accuracy_zoo.png
convlab chart accuracy alexnet zfnet vgg16 googlenet resnet152 --metric top5 -o $out/accuracy_lecture.png
convlab chart accuracy mobilenet mobilenet_v2 mobilenet_v3_small mobilenet_v3_large efficientnet_b0 nasnet_mobile squeezenet1_1 -o $out/accuracy_mobile.png

# Parameters and FLOPs per layer or block.
convlab chart layers vgg16 -o $out/layers_vgg16.png
convlab chart layers resnet50 -o $out/layers_resnet50.png
convlab chart layers nasnet_mobile -o $out/layers_nasnet_mobile.png

# Activation memory along depth.
convlab chart memory vgg16 -o $out/memory_vgg16.png
convlab chart memory vgg16 resnet50 mobilenet_v2 -o $out/memory_three.png
convlab chart memory efficientnet_b0 densenet121 inception_v3 -o $out/memory_modern.png

# Sweeps.
convlab chart sweep mobilenet --sweep alpha=0.25,0.5,0.75,1 -o $out/sweep_alpha.png
convlab chart sweep mobilenet --sweep input=128,160,192,224 -o $out/sweep_rho.png
convlab chart sweep efficientnet_b0 efficientnet_b1 efficientnet_b2 efficientnet_b3 efficientnet_b4 efficientnet_b5 efficientnet_b6 efficientnet_b7 -o $out/sweep_phi.png

# Measured time (ONNX Runtime): per layer, per model, against batch size.
for m in mobilenet_v2 resnet18 squeezenet1_1; do
  convlab bench $m --per-layer --runs 10 --warmup 2 --chart $out/bench_layers_$m.png > /dev/null
done
convlab bench squeezenet1_1 mobilenet_v3_small mobilenet_v2 efficientnet_b0 resnet18 googlenet resnet50 --runs 10 --warmup 2 --chart $out/bench_models.png > /dev/null
convlab bench squeezenet1_1 mobilenet_v2 resnet18 --batch 1,2,4,8 --runs 10 --warmup 2 --chart $out/bench_batch.png > /dev/null

# Evaluation: three small models trained briefly, then evaluated on their test sets.
runs=$(mktemp -d)
convlab train lenet5 --dataset digits --data "$data" --epochs 10 --out "$runs/lenet-digits" > /dev/null
convlab eval "$runs/lenet-digits" --dataset digits --data "$data" --chart $out/eval_lenet_digits.png > /dev/null
convlab train lenet5 --dataset mnist --data "$data" --epochs 1 --out "$runs/lenet-mnist" > /dev/null
convlab eval "$runs/lenet-mnist" --dataset mnist --data "$data" --chart $out/eval_lenet_mnist.png > /dev/null
convlab train lenet5 --dataset fashion-mnist --data "$data" --epochs 1 --out "$runs/lenet-fashion" > /dev/null
convlab eval "$runs/lenet-fashion" --dataset fashion-mnist --data "$data" --chart $out/eval_lenet_fashion.png > /dev/null
rm -rf "$runs"
