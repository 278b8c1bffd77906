"""convlab's PyTorch engine: the training processes of `convlab train --engine torch`.

One file, two roles:
  python convlab_torch.py launch [torchrun options] RUN_JSON   starts torchrun, and dies with convlab
  convlab_torch.py RUN_JSON (started by torchrun or convlab)   one process of the training group

RUN_JSON, written by convlab, holds everything: the generated model and its weights, the data
arrays (.npy, memory-mapped by every process), the recipe, where checkpoints go. Global rank 0
reports to convlab on stdout, one JSON object a line after the tag "@convlab "; errors are codes
with values, and convlab words them. The same RUN_JSON can be run by hand with torchrun.
"""
import importlib.util
import json
import math
import os
import signal
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

TAG = "@convlab "
CHECKPOINT_FORMAT = "convlab-torch-checkpoint"
CHECKPOINT_VERSION = 1


class RunError(Exception):
    """A failure convlab explains to the user: a code and the values its message needs."""

    def __init__(self, code, **values):
        super().__init__(code)
        self.code = code
        self.values = values


def die_with_parent(expected_parent=None):
    """Asks Linux to kill this process when its parent dies, so `kill -9` of convlab leaves nothing running."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)
    # The parent may have died before prctl took effect.
    if expected_parent is not None and os.getppid() != expected_parent:
        os._exit(1)


def write_atomic(path, write):
    """Writes a file through a temporary one in the same folder, synced, then renamed over it."""
    tmp = "%s.tmp-%d" % (path, os.getpid())
    with open(tmp, "wb") as f:
        write(f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def seed_of(*parts):
    """A 63-bit seed mixed from integers, so each purpose, rank and epoch gets its own stream."""
    h = 0xCBF29CE484222325
    for p in parts:
        h = ((h ^ (p & 0xFFFFFFFFFFFFFFFF)) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h & 0x7FFFFFFFFFFFFFFF


class Reporter:
    """Events for convlab, written by global rank 0 only."""

    def __init__(self, active):
        self.active = active

    def __call__(self, event, **fields):
        if self.active:
            sys.stdout.write(TAG + json.dumps(dict(event=event, **fields)) + "\n")
            sys.stdout.flush()


class StopRequest:
    """Ctrl-C in convlab creates the stop file; SIGINT or SIGTERM (a scheduler, torchrun) count too."""

    def __init__(self, path):
        self.path = path
        self.signalled = False
        for s in (signal.SIGINT, signal.SIGTERM):
            signal.signal(s, self._on_signal)

    def _on_signal(self, signum, frame):
        self.signalled = True

    def requested(self):
        return self.signalled or (self.path is not None and os.path.exists(self.path))


class Split:
    """One split of the data set: images [N, C, H, W] float32 and labels [N] uint8, memory-mapped."""

    def __init__(self, files):
        self.x = np.load(files["x"], mmap_mode="r")
        self.y = np.load(files["y"], mmap_mode="r")
        self.count = len(self.y)

    def batch(self, index):
        x = torch.from_numpy(np.ascontiguousarray(self.x[index]))
        y = torch.from_numpy(self.y[index].astype(np.int64))
        return x, y


def shift_flip(x, padding, flip, generator):
    """Random shifts by up to `padding` pixels (zero fill) and left-right mirroring with probability 1/2."""
    n, c, h, w = x.shape
    padded = F.pad(x, (padding, padding, padding, padding))
    dy = torch.randint(0, 2 * padding + 1, (n,), generator=generator)
    dx = torch.randint(0, 2 * padding + 1, (n,), generator=generator)
    mirror = torch.rand(n, generator=generator) < 0.5 if flip else torch.zeros(n, dtype=torch.bool)
    rows = dy[:, None] + torch.arange(h)[None, :]
    cols = torch.arange(w)[None, :].expand(n, w)
    cols = torch.where(mirror[:, None], w - 1 - cols, cols) + dx[:, None]
    return padded[torch.arange(n)[:, None, None, None], torch.arange(c)[None, :, None, None], rows[:, None, :, None], cols[:, None, None, :]]


def load_model(spec):
    """Imports the generated module file and builds its class."""
    module_spec = importlib.util.spec_from_file_location("convlab_model", spec["file"])
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return getattr(module, spec["class"])()


def load_weights(model, folder):
    """Copies the tensors listed in weights.json into the model's state dict."""
    state = model.state_dict()
    with open(os.path.join(folder, "weights.json")) as f:
        listed = json.load(f)
    for item in listed:
        value = torch.from_numpy(np.load(os.path.join(folder, item["file"]))).reshape(item["shape"])
        with torch.no_grad():
            state[item["name"]].copy_(value)


def save_weights(model, folder, names):
    """Writes the named state-dict tensors as .npy files and weights.json, each file atomically."""
    os.makedirs(folder, exist_ok=True)
    state = model.state_dict()
    listed = []
    for name in names:
        array = state[name].detach().cpu().numpy().astype(np.float32)
        write_atomic(os.path.join(folder, name + ".npy"), lambda f, a=array: np.save(f, a))
        listed.append({"name": name, "file": name + ".npy", "shape": list(array.shape)})
    text = json.dumps(listed, indent=1).encode()
    write_atomic(os.path.join(folder, "weights.json"), lambda f: f.write(text))


def make_optimizer(recipe, model, decayed):
    """SGD, momentum or Adam as convlab defines them (L2 decay on kernels only, Keras' Adam epsilon)."""
    trainable = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    groups = [
        {"params": [p for n, p in trainable if n in decayed], "weight_decay": recipe["weightDecay"]},
        {"params": [p for n, p in trainable if n not in decayed], "weight_decay": 0.0},
    ]
    groups = [g for g in groups if g["params"]]
    name, lr = recipe["optimizer"], recipe["lrs"][0]
    if name == "sgd":
        return torch.optim.SGD(groups, lr=lr)
    if name == "momentum":
        return torch.optim.SGD(groups, lr=lr, momentum=recipe["momentum"])
    return torch.optim.Adam(groups, lr=lr, betas=(recipe["momentum"], 0.999), eps=1e-7)


def share(count, rank, world):
    """This rank's slice [lo, hi) of a global batch of `count`: contiguous, sizes differing by at most one."""
    base, extra = divmod(count, world)
    lo = rank * base + min(rank, extra)
    return lo, lo + base + (1 if rank < extra else 0)


class Trainer:
    """One process of the run: its model replica, its slice of every batch, the shared schedule."""

    def __init__(self, cfg, device, report, stop):
        self.cfg, self.device, self.report, self.stop = cfg, device, report, stop
        self.rank = int(os.environ.get("RANK", "0"))
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.recipe = cfg["recipe"]
        self.model = load_model(cfg["model"])
        load_weights(self.model, cfg["model"]["weights"])
        self.model.to(self.device)
        if cfg["model"]["logits"]:
            self.model.return_logits = True
        self.optimizer = make_optimizer(self.recipe, self.model, set(cfg["model"]["decayed"]))
        self.net = self.model
        if self.world > 1:
            from torch.nn.parallel import DistributedDataParallel

            self.net = DistributedDataParallel(
                self.model,
                device_ids=[self.device.index] if self.device.type == "cuda" else None,
                find_unused_parameters=cfg["model"]["unusedParameters"],
            )
        self.train = Split(cfg["data"]["train"])
        self.validation = Split(cfg["data"]["validation"]) if cfg["data"].get("validation") else None
        torch.manual_seed(seed_of(self.recipe["seed"], self.rank, 1))
        self.augment_rng = torch.Generator().manual_seed(seed_of(self.recipe["seed"], self.rank, 2))
        self.state = {"epoch": 0, "batch": 0, "partial": {"lossSum": 0.0, "correct": 0.0, "seen": 0.0, "seconds": 0.0}, "history": []}

    # Checkpoints -----------------------------------------------------------------------------

    def rng_state(self):
        state = {"torch": torch.get_rng_state(), "augment": self.augment_rng.get_state()}
        if self.device.type == "cuda":
            state["cuda"] = torch.cuda.get_rng_state(self.device)
        return state

    def save_checkpoint(self):
        """Every rank hands its generator states to rank 0, which writes one file atomically, then the log."""
        states = [None] * self.world
        if self.world > 1:
            dist.all_gather_object(states, self.rng_state())
        else:
            states[0] = self.rng_state()
        if self.rank != 0:
            return
        out = self.cfg["out"]
        checkpoint = {
            "format": CHECKPOINT_FORMAT,
            "version": CHECKPOINT_VERSION,
            "fingerprint": self.cfg["fingerprint"],
            "world": self.world,
            "state": self.state,
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "rng": states,
        }
        write_atomic(out["checkpoint"], lambda f: torch.save(checkpoint, f))
        lines = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in self.state["history"]).encode()
        write_atomic(out["log"], lambda f: f.write(lines))

    def read_checkpoint(self):
        """The checkpoint, read by rank 0 and sent to every rank, so other machines need no copy of the file."""
        path = self.cfg["out"]["checkpoint"]
        found = None
        if self.rank == 0:
            try:
                checkpoint = torch.load(path, map_location="cpu")
                if not isinstance(checkpoint, dict) or checkpoint.get("format") != CHECKPOINT_FORMAT:
                    found = {"error": ("badCheckpoint", {"file": path, "detail": "not a convlab torch-engine checkpoint"})}
                elif checkpoint.get("version") != CHECKPOINT_VERSION:
                    detail = "format version %r, this convlab reads %d" % (checkpoint.get("version"), CHECKPOINT_VERSION)
                    found = {"error": ("badCheckpoint", {"file": path, "detail": detail})}
                else:
                    found = {"checkpoint": checkpoint}
            except Exception as e:
                found = {"error": ("badCheckpoint", {"file": path, "detail": "%s: %s" % (type(e).__name__, e)})}
        if self.world > 1:
            box = [found]
            dist.broadcast_object_list(box, src=0)
            found = box[0]
        if "error" in found:
            code, values = found["error"]
            raise RunError(code, **values)
        return found["checkpoint"]

    def resume(self):
        path = self.cfg["out"]["checkpoint"]
        checkpoint = self.read_checkpoint()
        saved, now = checkpoint["fingerprint"], self.cfg["fingerprint"]
        for key in now:
            if saved.get(key) != now[key]:
                raise RunError("checkpointMismatch", file=path, what=key, saved=saved.get(key), now=now[key])
        if checkpoint["world"] != self.world:
            raise RunError("checkpointMismatch", file=path, what="process count", saved=checkpoint["world"], now=self.world)
        self.state = checkpoint["state"]
        if self.state["epoch"] >= self.recipe["epochs"]:
            raise RunError("alreadyDone", dir=self.cfg["out"]["dir"], epochs=self.recipe["epochs"])
        self.model.load_state_dict(checkpoint["model"])
        self.optimizer.load_state_dict(checkpoint["optimizer"])
        mine = checkpoint["rng"][self.rank]
        torch.set_rng_state(mine["torch"])
        self.augment_rng.set_state(mine["augment"])
        if "cuda" in mine and self.device.type == "cuda":
            torch.cuda.set_rng_state(mine["cuda"], self.device)

    # Training ---------------------------------------------------------------------------------

    def all_sum(self, values):
        """Sums small figures over the ranks (and agrees on a stop)."""
        if self.world == 1:
            return values
        t = torch.tensor(values, dtype=torch.float64)
        dist.all_reduce(t)
        return t.tolist()

    def sync_buffers(self):
        """BatchNorm statistics as rank 0 has them, on every rank (DDP itself syncs them only before a forward)."""
        if self.world > 1:
            for b in self.model.buffers():
                dist.broadcast(b, 0)

    def step(self, index, total):
        """One optimizer step over this rank's share of a global batch of `total` samples."""
        weight = 1.0
        if len(index) == 0:
            # A last batch smaller than the group: run one sample that counts for nothing, so the
            # gradient all-reduce still meets every rank.
            index, weight = self.last_index, 0.0
        x, y = self.train.batch(index)
        augment = self.recipe["augment"]
        if augment:
            x = shift_flip(x, augment["padding"], augment["flip"], self.augment_rng)
        x, y = x.to(self.device, non_blocking=True), y.to(self.device, non_blocking=True)
        out = self.net(x)
        summed = F.cross_entropy(out, y, reduction="sum")
        # DDP averages gradients over the ranks; scaling by world / total makes that the mean over the global batch.
        loss = summed * (weight * self.world / total)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        correct = (out.argmax(1) == y).sum()
        return weight * summed.item(), weight * correct.item(), weight * len(index)

    def evaluate(self, split):
        """Mean loss and accuracy of a split in inference mode, each rank taking a contiguous share."""
        self.model.eval()
        lo, hi = share(split.count, self.rank, self.world)
        loss, correct = 0.0, 0.0
        with torch.no_grad():
            for start in range(lo, hi, 256):
                x, y = split.batch(np.arange(start, min(start + 256, hi)))
                out = self.model(x.to(self.device))
                y = y.to(self.device)
                loss += float(F.cross_entropy(out, y, reduction="sum"))
                correct += float((out.argmax(1) == y).sum())
        self.model.train()
        loss, correct = self.all_sum([loss, correct])
        return loss / split.count, correct / split.count

    def epoch_order(self, epoch):
        """The epoch's sample order: a seeded permutation, the same on every rank."""
        generator = torch.Generator().manual_seed(seed_of(self.recipe["seed"], epoch, 3))
        return torch.randperm(self.train.count, generator=generator).numpy()

    def train_batch(self, order, b, epoch, lr):
        """Global batch `b` of the epoch: this rank's step, then the figures summed over the ranks
        into the epoch's sums. Returns whether some rank was asked to stop."""
        started = time.perf_counter()
        size = self.recipe["batchSize"]
        chunk = order[b * size:(b + 1) * size]
        self.last_index = chunk[:1]
        lo, hi = share(len(chunk), self.rank, self.world)
        loss, correct, seen = self.step(chunk[lo:hi], len(chunk))
        loss, correct, seen, stop = self.all_sum([loss, correct, seen, float(self.stop.requested())])
        if not math.isfinite(loss):
            raise RunError("nanLoss", epoch=epoch + 1, batch=b + 1, lr=lr)
        p = self.state["partial"]
        p["lossSum"] += loss
        p["correct"] += correct
        p["seen"] += seen
        p["seconds"] += time.perf_counter() - started
        self.state["batch"] = b + 1
        return stop

    def run(self):
        r = self.recipe
        if self.cfg["resume"]:
            self.resume()
        self.report("start", world=self.world, device=str(self.device), threads=torch.get_num_threads(), torch=torch.__version__,
                    backend=dist.get_backend() if self.world > 1 else None, epoch=self.state["epoch"] + 1, batch=self.state["batch"])
        batches = math.ceil(self.train.count / r["batchSize"])
        self.model.train()
        interrupted = False
        for epoch in range(self.state["epoch"], r["epochs"]):
            lr = r["lrs"][epoch]
            for group in self.optimizer.param_groups:
                group["lr"] = lr
            order = self.epoch_order(epoch)
            p = self.state["partial"]
            last_report = 0.0
            for b in range(self.state["batch"], batches):
                stop = self.train_batch(order, b, epoch, lr)
                now = time.perf_counter()
                if now - last_report >= 0.2 or b + 1 == batches:
                    last_report = now
                    self.report("progress", epoch=epoch + 1, epochs=r["epochs"], batch=b + 1, batches=batches, loss=p["lossSum"] / p["seen"],
                                accuracy=p["correct"] / p["seen"], samplesPerSecond=p["seen"] / max(p["seconds"], 1e-9), lr=lr)
                if stop and b + 1 < batches:
                    interrupted = True
                    break
            if interrupted:
                self.sync_buffers()
                self.save_checkpoint()
                break
            record = {"epoch": epoch + 1, "lr": lr, "loss": p["lossSum"] / p["seen"], "accuracy": p["correct"] / p["seen"],
                      "samples": int(p["seen"]), "seconds": p["seconds"], "samplesPerSecond": p["seen"] / max(p["seconds"], 1e-9)}
            self.sync_buffers()
            if self.validation is not None:
                record["valLoss"], record["valAccuracy"] = self.evaluate(self.validation)
            self.state["history"].append(record)
            self.state.update(epoch=epoch + 1, batch=0, partial={"lossSum": 0.0, "correct": 0.0, "seen": 0.0, "seconds": 0.0})
            self.save_checkpoint()
            self.report("epoch", record=record)
            if self.all_sum([float(self.stop.requested())])[0] and epoch + 1 < r["epochs"]:
                interrupted = True
                break
        self.finish(interrupted)

    def finish(self, interrupted):
        """Rank 0 writes the weights (and scores the test split when the run is complete)."""
        out = self.cfg["out"]
        if self.rank == 0:
            save_weights(self.model, out["weights"], self.cfg["model"]["names"])
            scores = None
            test = self.cfg["data"].get("test")
            if test and not interrupted:
                scores = self.score(Split(test), out["testScores"])
            self.report("done", interrupted=interrupted, epoch=self.state["epoch"] + 1, testScores=scores)
        if self.world > 1:
            dist.barrier()

    def score(self, split, path):
        """Class scores (the model's own output, softmax included) of every sample of a split."""
        self.model.eval()
        if self.cfg["model"]["logits"]:
            self.model.return_logits = False
        chunks = []
        with torch.no_grad():
            for start in range(0, split.count, 256):
                x, _ = split.batch(np.arange(start, min(start + 256, split.count)))
                chunks.append(self.model(x.to(self.device)).float().cpu().numpy())
        scores = np.concatenate(chunks)
        write_atomic(path, lambda f: np.save(f, scores))
        return path


def device_type(wanted):
    """cpu or cuda: `auto` takes CUDA when there is a GPU for every process of this node."""
    local = int(os.environ.get("LOCAL_WORLD_SIZE", "1"))
    gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if wanted == "cuda" and gpus == 0:
        raise RunError("noCuda", python=sys.executable)
    if wanted == "cuda" and gpus < local:
        raise RunError("tooFewGpus", gpus=gpus, nproc=local)
    if wanted == "auto":
        return "cuda" if gpus >= local else "cpu"
    return wanted


def worker(run_file):
    with open(run_file) as f:
        cfg = json.load(f)
    # Set when convlab started this process itself (one process, no torchrun).
    parent = os.environ.pop("CONVLAB_PARENT", None)
    die_with_parent(int(parent) if parent else None)
    torch.set_num_threads(cfg["threads"])
    report = Reporter(int(os.environ.get("RANK", "0")) == 0)
    stop = StopRequest(cfg["out"].get("stop"))
    world = int(os.environ.get("WORLD_SIZE", "1"))
    try:
        device = torch.device("cpu")
        if device_type(cfg["device"]) == "cuda":
            # Before the process group: NCCL's collectives run on the current device.
            device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
            torch.cuda.set_device(device)
        if world > 1:
            dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
        Trainer(cfg, device, report, stop).run()
    except RunError as e:
        report("error", code=e.code, **e.values)
        sys.exit(3)
    finally:
        if world > 1 and dist.is_initialized():
            dist.destroy_process_group()


def mend_torchrun():
    """PyTorch 1.13's torchrun reads its default --redirects/--tee "0" as None on Python 3.11, whose
    IntFlag no longer iterates the zero member, and fails before starting anything (Debian 12 ships
    exactly that pair). Map None back to Std.NONE; later versions need nothing."""
    from torch.distributed.elastic.multiprocessing import api

    parse = api.Std.from_str
    if parse("0") is None:
        api.Std.from_str = staticmethod(lambda vm: api.Std.NONE if parse(vm) is None else parse(vm))


def launch(argv):
    """Runs torchrun in this process, after arranging to die with convlab."""
    # Taken out of the environment, so the workers torchrun starts (children of torchrun) do not check for convlab.
    parent = os.environ.pop("CONVLAB_PARENT", None)
    die_with_parent(int(parent) if parent else None)
    mend_torchrun()
    from torch.distributed.run import main

    main(argv)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "launch":
        launch(sys.argv[2:])
    else:
        worker(sys.argv[1])
