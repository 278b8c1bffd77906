"""CPU time per batch of the torch engine against a hand-written PyTorch step, interleaved in one process.

Benchmark only. A whole-run comparison moves with the machine's load; here the engine's own per-batch
work (Trainer.train_batch of convlab_torch.py: the batch gathered from the memory-mapped arrays, the
generated model, loss and accuracy sums, the stop check) and a plain loop step (the reference model,
in-memory tensors, zero_grad / cross_entropy / backward / step) alternate in blocks of a few batches
in the same process, and each block's CPU time is taken with time.process_time(). Prints one JSON
object: median ms per batch of each, and the median of the per-pair ratios.

Usage: /usr/bin/python3 bench/torch_step.py --run OUT/torch --reference bench/torch_train.py:LeNet5
       [--blocks 40] [--steps 10] [--threads 1]
"""
import argparse
import importlib.util
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def load_class(spec):
    """A class from "path/to/file.py:Name"."""
    path, name = spec.rsplit(":", 1)
    module_spec = importlib.util.spec_from_file_location("reference", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return getattr(module, name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True, help="a torch-engine run folder (<out>/torch)")
    ap.add_argument("--reference", required=True, help="FILE.py:Class of the hand-written model")
    ap.add_argument("--blocks", type=int, default=40)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    sys.path.insert(0, a.run)
    import convlab_torch as engine

    with open(os.path.join(a.run, "run.json")) as f:
        cfg = json.load(f)
    trainer = engine.Trainer(cfg, torch.device("cpu"), engine.Reporter(False), engine.StopRequest(None))
    trainer.model.train()
    order = trainer.epoch_order(0)
    size = cfg["recipe"]["batchSize"]
    lr = cfg["recipe"]["lrs"][0]

    x = torch.from_numpy(np.load(cfg["data"]["train"]["x"]))
    y = torch.from_numpy(np.load(cfg["data"]["train"]["y"]).astype(np.int64))
    model = load_class(a.reference)()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    perm = torch.randperm(len(y))
    batches = len(y) // size

    def loop_step(b):
        idx = perm[b * size:(b + 1) * size]
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x[idx]), y[idx])
        loss.backward()
        optimizer.step()

    done = {"engine": 0, "loop": 0}
    cpu = {"engine": [], "loop": []}
    for block in range(a.blocks):
        for name in ("engine", "loop") if block % 2 == 0 else ("loop", "engine"):
            started = time.process_time()
            for _ in range(a.steps):
                b = done[name] % batches
                if name == "engine":
                    trainer.train_batch(order, b, 0, lr)
                else:
                    loop_step(b)
                done[name] += 1
            cpu[name].append((time.process_time() - started) / a.steps)
    # The first blocks warm caches and allocators up.
    warm = a.blocks // 5
    ratios = [e / l for e, l in zip(cpu["engine"][warm:], cpu["loop"][warm:])]
    print(json.dumps({
        "batch": size, "threads": a.threads, "blocks": a.blocks - warm, "steps_per_block": a.steps,
        "engine_ms": round(1000 * float(np.median(cpu["engine"][warm:])), 3),
        "loop_ms": round(1000 * float(np.median(cpu["loop"][warm:])), 3),
        "ratio": round(float(np.median(ratios)), 4),
    }))


if __name__ == "__main__":
    main()
