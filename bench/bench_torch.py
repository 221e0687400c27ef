#!/usr/bin/env python3
"""make bench-torch: ddim-lab's networks, batch and step side by side with PyTorch.

Per network (the seed's first and skip, the Keras example's U-Net, the recipe's
small U-Net): `ddim-lab bench FILE --variant NAME --json --threads N` (N = 1, 2),
then the same training step (noise and times, forward, the gradient trick's
input gradient where set, losses, backward, AdamW, EMA) and DDIM sampling in
PyTorch, NCHW and channels_last, 1 and 2 threads; medians of 5 repetitions of 8
steps after a warm-up, as command_bench.c. --quick: a smoke test, not a result
(batch 16, 2 sampling steps on both sides; 2 repetitions of 2 steps).
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPEATS, STEPS_PER_REPEAT = 5, 8          # command_bench.c's REPEATS and STEPS_PER_REPEAT
THREADS = (1, 2)
FORMATS = {"NCHW": torch.contiguous_format, "channels_last": torch.channels_last}


def keras_init(model):
    """Glorot-uniform kernels, zero biases: ddim-lab's init_parameters."""
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)


def in_format(t, fmt):
    """t materialised in format fmt (no copy if it is): ddim-lab writes its broadcast
    maps out too, and torch.cat keeps the format when both inputs have it."""
    return t.contiguous(memory_format=fmt)


class SeedNet(nn.Module):
    """seed_nets.lua's first and skip: x (B,1,28,28) + level (B,1,1,1) flattened
    (B,784) -> [skip: Dense 784 linear, s] -> Dense 3136 relu -> (B,64,7,7) ->
    ConvT 3x3/2 64 relu (14x14) -> ConvT 3x3/2 32 relu (28x28) -> ConvT 3x3 1 ->
    sigmoid, or relu + s. padding=1, output_padding=1: Keras' 'same' sizes (the grid
    a pixel apart from TF's, the same multiply-adds)."""

    def __init__(self, skip):
        super().__init__()
        self.skip = nn.Linear(784, 784) if skip else None
        self.dense = nn.Linear(784, 7 * 7 * 64)
        self.up1 = nn.ConvTranspose2d(64, 64, 3, stride=2, padding=1, output_padding=1)
        self.up2 = nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1, output_padding=1)
        self.out = nn.ConvTranspose2d(32, 1, 3, stride=1, padding=1)
        self.memory_format = torch.contiguous_format
        keras_init(self)

    def forward(self, x, level):
        h = (x + level).flatten(1)                          # (B,784)
        s = self.skip(h) if self.skip is not None else None
        h = F.relu(self.dense(h if s is None else s))       # (B,3136)
        if self.memory_format == torch.channels_last:       # ddim-lab's Reshape is NHWC: read as
            h = h.view(-1, 7, 7, 64).permute(0, 3, 1, 2)    # such it is channels_last, a view
        else:
            h = h.view(-1, 64, 7, 7)
        y = self.out(F.relu(self.up2(F.relu(self.up1(h)))))  # (B,1,28,28)
        return torch.sigmoid(y) if s is None else F.relu(y) + s.view(-1, 1, 28, 28)


class ResidualBlock(nn.Module):
    """unet.lua's residual_block, (B,cin,H,W) -> (B,width,H,W): (1x1 conv if widths
    differ) + [BN, no scale or center (Keras' momentum 0.99, epsilon 1e-3) -> noise
    map concatenated (noise_in_blocks) -> Conv3x3 swish -> Conv3x3]."""

    def __init__(self, cin, width, noise_channels):
        super().__init__()
        self.residual = nn.Conv2d(cin, width, 1) if cin != width else None
        self.norm = nn.BatchNorm2d(cin, eps=1e-3, momentum=0.01, affine=False)
        self.conv1 = nn.Conv2d(cin + noise_channels, width, 3, padding=1)
        self.conv2 = nn.Conv2d(width, width, 3, padding=1)

    def forward(self, x, noise_map, fmt):
        r = self.residual(x) if self.residual is not None else x
        h = self.norm(x)
        if noise_map is not None:
            h = in_format(torch.cat([h, noise_map], 1), fmt)
        return self.conv2(F.silu(self.conv1(h))) + r


class UNet(nn.Module):
    """unet.lua's unet.network: image 1x1 conv to widths[0], concatenated with the
    embedding at 28x28 (32 sinusoids, or "raw": the level); down levels of blocks
    and 2x2 average pooling (28, 14, 7); the bottleneck's blocks; up levels: 2x
    bilinear (Keras' = align_corners=False), blocks on x + skip; 1x1 conv, zeros."""

    def __init__(self, widths=(32, 64, 96), block_depth=2, embedding="sinusoidal", noise_in_blocks=False):
        super().__init__()
        self.embedding, self.noise_in_blocks = embedding, noise_in_blocks
        self.levels, self.block_depth = len(widths), block_depth
        nb = 1 if noise_in_blocks else 0
        self.image_in = nn.Conv2d(1, widths[0], 1)
        width, skips = widths[0] + (1 if embedding == "raw" else 32), []
        self.down, self.middle, self.up = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        for level in range(self.levels - 1):
            for _ in range(block_depth):
                self.down.append(ResidualBlock(width, widths[level], nb))
                width = widths[level]
                skips.append(width)
        for _ in range(block_depth):
            self.middle.append(ResidualBlock(width, widths[-1], nb))
            width = widths[-1]
        for level in range(self.levels - 2, -1, -1):
            for _ in range(block_depth):
                self.up.append(ResidualBlock(width + skips.pop(), widths[level], nb))
                width = widths[level]
        self.out = nn.Conv2d(width, 1, 1)
        # Keras' sinusoidal_embedding: 16 frequencies log-spaced from 1 to 1000
        self.register_buffer("frequencies", torch.exp(torch.linspace(0.0, math.log(1000.0), 16)), persistent=False)
        self.memory_format = torch.contiguous_format
        keras_init(self)
        nn.init.zeros_(self.out.weight)             # kernel_initializer = "zeros"

    def forward(self, x, level):                    # x (B,1,28,28), level (B,1,1,1)
        fmt, batch = self.memory_format, x.shape[0]
        e = level
        if self.embedding == "sinusoidal":          # (B,32,1,1): 16 sines, then 16 cosines
            angles = 2 * math.pi * self.frequencies.view(1, -1, 1, 1) * level
            e = torch.cat([torch.sin(angles), torch.cos(angles)], 1)
        e = in_format(e.expand(batch, -1, 28, 28), fmt)
        # a 1-channel input leaves the conv's format to PyTorch (NCHW): set it, so cat keeps it
        h = in_format(torch.cat([in_format(self.image_in(x), fmt), e], 1), fmt)
        maps = [None] * self.levels                 # the level at 28, 14, 7 pixels: (B,1,s,s)
        if self.noise_in_blocks:
            maps = [in_format(level.expand(batch, 1, 28 >> i, 28 >> i), fmt) for i in range(self.levels)]
        skips, down, up = [], iter(self.down), iter(self.up)
        for i in range(self.levels - 1):
            for _ in range(self.block_depth):
                h = next(down)(h, maps[i], fmt)
                skips.append(h)
            h = F.avg_pool2d(h, 2)
        for block in self.middle:
            h = block(h, maps[-1], fmt)
        for i in range(self.levels - 2, -1, -1):
            h = F.interpolate(h, scale_factor=2, mode="bilinear", align_corners=False)
            for _ in range(self.block_depth):
                h = next(up)(in_format(torch.cat([h, skips.pop()], 1), fmt), maps[i], fmt)
        return self.out(h)


# What a step or a sampling depends on, as the experiment files set it (else config_fields.c's defaults).
SEED_TRAIN = dict(batch=64, loss="mae", lr=1e-3, wd=0.004, ema=0.0)                  # skip_vs_noskip.lua
SEED_DIFFUSION = dict(steps=20, schedule="none", trick=True, prediction="noise", eta=0.0)
COSINE = dict(schedule="cosine", min_signal=0.02, max_signal=0.95, trick=False)
UNET_TRAIN = dict(batch=64, loss="mae", lr=1e-3, wd=1e-4, ema=0.999, normalize=True)  # unet_full.lua
UNET_DIFFUSION = dict(COSINE, steps=20, prediction="noise", eta=0.0)
RECIPE_TRAIN = dict(batch=64, loss="mse", lr=5e-3, wd=1e-4, ema=0.999, ema_warmup=True, normalize=True,
                    cosine_decay=True, p2_gamma=2.0, p2_sampling=True)                 # lib/recipe.lua
RECIPE_DIFFUSION = dict(COSINE, steps=50, prediction="velocity", eta=1.0)
NETWORKS = {  # name: (experiment file, its variant, the network, train, diffusion)
    "first": ("experiments/skip_vs_noskip.lua", "first", lambda: SeedNet(False), SEED_TRAIN, SEED_DIFFUSION),
    "skip": ("experiments/skip_vs_noskip.lua", "skip", lambda: SeedNet(True), SEED_TRAIN, SEED_DIFFUSION),
    "unet": ("experiments/unet_full.lua", "unet", UNet, UNET_TRAIN, UNET_DIFFUSION),
    "recipe": ("experiments/digits_in_minutes.lua", "small_unet",
               lambda: UNet((16, 32, 64), 1, "raw", True), RECIPE_TRAIN, RECIPE_DIFFUSION),
}


def rates(d, t):
    """diffusion.c's diffusion_rates for a tensor of times: (signal, noise, level)."""
    if d["schedule"] == "none":
        return torch.ones_like(t), torch.ones_like(t), t * t
    start, end = math.acos(d["max_signal"]), math.acos(d["min_signal"])
    angle = start + t * (end - start)
    return torch.cos(angle), torch.sin(angle), torch.sin(angle) ** 2


def p2_weight(signal, noise, gamma):
    return (1 + signal ** 2 / noise ** 2) ** -gamma


def p2_table(d, gamma):
    """diffusion.c's p2_sampler_init: the P2 weight's trapezoid-rule integral from
    0 to i / 4096, (4097,); its last value is Z, the weight's mean."""
    w = p2_weight(*rates(d, torch.linspace(0, 1, 4097, dtype=torch.float64))[:2], gamma)
    return torch.cat([torch.zeros(1, dtype=torch.float64), torch.cumsum((w[:-1] + w[1:]) / 8192, 0)])


def p2_time(cumulative, u):
    """p2_sample_time: u (B,) in [0, 1) to times (B,) drawn with density ~ weight."""
    target = u.double() * cumulative[-1]
    high = torch.searchsorted(cumulative, target, right=True).clamp(1, 4096)
    within = (target - cumulative[high - 1]) / (cumulative[high] - cumulative[high - 1])
    return ((high - 1 + within) / 4096).float().clamp(max=1 - 2 ** -24)


def make_adamw(params, t):
    """AdamW, epsilon 1e-7 (Keras' value: PyTorch adds it to the bias-corrected sqrt(v),
    Keras to the uncorrected, the same work), fused (CPU since 2.4), else foreach."""
    for kind in ("fused", "foreach"):
        try:
            return torch.optim.AdamW(params, lr=t["lr"], eps=1e-7, weight_decay=t["wd"], **{kind: True}), kind
        except (TypeError, RuntimeError, ValueError):
            pass
    return torch.optim.AdamW(params, lr=t["lr"], eps=1e-7, weight_decay=t["wd"]), "for-loop"


class Bench:
    """A network in a memory format: weights, AdamW, EMA, B * 8 random uint8 images."""

    def __init__(self, spec, fmt, batch):
        _, _, build, self.train, self.diffusion = spec
        torch.manual_seed(1)
        self.model = build().to(memory_format=fmt)
        self.model.memory_format = self.fmt = fmt
        self.params = list(self.model.parameters())
        # ddim-lab's parameters (its count, its EMA) include BN's moving statistics
        self.state = self.params + [b for n, b in self.model.named_buffers() if n.endswith(("_mean", "_var"))]
        self.optimizer, self.optimizer_kind = make_adamw(self.params, self.train)
        self.ema = [s.detach().clone() for s in self.state] if self.train["ema"] > 0 else None
        self.step_count, self.batch = 0, batch
        self.images = torch.randint(0, 256, (batch * STEPS_PER_REPEAT, 1, 28, 28), dtype=torch.uint8)
        pixels = self.images.float() / 255
        self.mean, self.std = (float(pixels.mean()), float(pixels.std())) if self.train.get("normalize") else (0.0, 1.0)
        self.p2 = p2_table(self.diffusion, self.train["p2_gamma"]) if self.train.get("p2_sampling") else None

    def batch_inputs(self):
        """train_steps.c's fill_batch: clean (standardised), noise, noisy (B,1,28,28);
        signal, noise_rate, level (B,1,1,1) from a time per image."""
        b, i = self.batch, self.step_count % STEPS_PER_REPEAT
        clean = (self.images[i * b:(i + 1) * b].float() / 255 - self.mean) / self.std
        t = torch.rand(b) if self.p2 is None else p2_time(self.p2, torch.rand(b))
        signal, noise_rate, level = (r.view(b, 1, 1, 1) for r in rates(self.diffusion, t))
        noise = torch.randn_like(clean)
        return clean, noise, in_format(signal * clean + noise_rate * noise, self.fmt), signal, noise_rate, level

    def train_step(self):
        """One step as train.c's graph and train_steps.c's trainer_steps run it."""
        tr, d = self.train, self.diffusion
        loss_fn = F.mse_loss if tr["loss"] == "mse" else F.l1_loss
        clean, noise, noisy, signal, noise_rate, level = self.batch_inputs()
        out = self.model(noisy.requires_grad_(d["trick"]), level)
        # trained towards the noise, or (velocity) v = signal noise - noise_rate clean
        loss = loss_fn(out, signal * noise - noise_rate * clean if d["prediction"] == "velocity" else noise)
        # the gradient trick's g = d(sum of the output)/d(noisy): input gradients only
        g = torch.autograd.grad(out.sum(), noisy, retain_graph=True)[0] if d["trick"] else 0.0
        with torch.no_grad():                       # the reported losses (p2_sampling: scaled by Z / weight)
            pred_noise, pred_image = predictions(d, noisy, out, signal, noise_rate, g)
            reported = loss
            if self.p2 is not None:
                scale = (float(self.p2[-1]) / p2_weight(signal, noise_rate, tr["p2_gamma"])).sqrt()
                reported = loss_fn(pred_noise * scale, noise * scale)
            F.l1_loss(pred_image, clean)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward(inputs=self.params)           # the weights' gradients, not the input's
        if not math.isfinite(reported.item()):      # ddim-lab checks each step's loss too
            raise RuntimeError("the noise loss is not finite")
        self.step_count += 1
        self.update_weights()

    @torch.no_grad()
    def update_weights(self):
        """AdamW (the recipe's learning rate decays along a cosine), then the EMA."""
        tr, n = self.train, self.step_count
        if tr.get("cosine_decay"):                  # lib/recipe.lua's run: 2,343 steps
            self.optimizer.param_groups[0]["lr"] = tr["lr"] * 0.5 * (1 + math.cos(math.pi * (n - 1) / 2343))
        self.optimizer.step()
        if self.ema is not None:
            decay = min(tr["ema"], n / (9.0 + n)) if tr.get("ema_warmup") else tr["ema"]
            torch._foreach_mul_(self.ema, decay)
            torch._foreach_add_(self.ema, self.state, alpha=1 - decay)

    def sample(self, steps):
        """train.c's trainer_sample, unguided: x ~ N(0,1) (B,1,28,28), `steps` forward passes
        (BN's moving statistics) and DDIM updates. The gradient trick needs the input's
        gradient: those networks run with the weights' gradients off, not in inference_mode."""
        d, b, trick = self.diffusion, self.batch, self.diffusion["trick"]
        self.model.eval()
        self.model.requires_grad_(False)
        x, now = in_format(torch.randn(b, 1, 28, 28), self.fmt), 1.0
        with torch.enable_grad() if trick else torch.inference_mode():
            for _ in range(steps):
                signal, noise_rate, level = (float(r) for r in rates(d, torch.tensor(now)))
                out = self.model(x.requires_grad_(trick), torch.full((b, 1, 1, 1), level))
                g = torch.autograd.grad(out.sum(), x)[0] if trick else 0.0
                with torch.no_grad():
                    pred_noise, pred_image = predictions(d, x, out, signal, noise_rate, g)
                    now -= 1.0 / steps
                    x = ddim_update(d, (signal, noise_rate), now, pred_image, pred_noise)
        self.model.requires_grad_(True)
        self.model.train()
        return pred_image * self.std + self.mean


def predictions(d, noisy, out, signal, noise_rate, g):
    """train.c's pred_noise, pred_image from the output (B,1,28,28); g: the trick's term or 0."""
    if d["prediction"] == "velocity":
        return noise_rate * noisy + signal * out, signal * noisy - noise_rate * out
    return out, (noisy - noise_rate * out - g) / signal


def ddim_update(d, rates_now, time_next, pred_image, pred_noise):
    """diffusion.c's ddim_step and trainer_sample's new x (eta > 0: fresh noise)."""
    signal, noise_rate = rates_now
    next_signal, next_noise, _ = (float(r) for r in rates(d, torch.tensor(time_next)))
    fresh = 0.0
    if d["eta"] > 0:
        fresh = d["eta"] * next_noise / noise_rate * math.sqrt(max(0.0, 1 - signal ** 2 / next_signal ** 2))
        next_noise = math.sqrt(max(0.0, next_noise ** 2 - fresh ** 2))
    x = next_signal * pred_image + next_noise * pred_noise
    return x + fresh * torch.randn_like(x) if fresh > 0 else x


def time_bench(bench, repeats, per_repeat, sampling_steps):
    """(ms a training step, ms a sampling): after a warm-up, the medians (command_bench.c's:
    the upper middle) of `repeats` repetitions of `per_repeat` steps, and of samplings."""
    def timed(work, count):
        start = time.perf_counter()
        for _ in range(count):
            work()
        return 1e3 * (time.perf_counter() - start) / count
    timed(bench.train_step, per_repeat)
    steps = sorted(timed(bench.train_step, per_repeat) for _ in range(repeats))
    timed(lambda: bench.sample(sampling_steps), 1)
    samplings = sorted(timed(lambda: bench.sample(sampling_steps), 1) for _ in range(repeats))
    return steps[repeats // 2], samplings[repeats // 2]


def run_ddim_lab(binary, spec, threads, overrides):
    """`ddim-lab bench FILE --variant NAME --json --threads N`: the variant's figures."""
    experiment, variant = spec[0], spec[1]
    cmd = [binary, "bench", experiment, "--variant", variant, "--json", "--threads", str(threads)] + overrides
    print("  running: " + " ".join(cmd), flush=True)
    result = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, universal_newlines=True)
    if result.returncode != 0:
        sys.exit("bench_torch.py: error: %s exited with %d" % (" ".join(cmd), result.returncode))
    report = json.loads(result.stdout)
    for v in report["variants"]:
        if v["variant"] == variant:
            return dict(v, threads=report["threads"], isa=report["isa"])
    sys.exit("bench_torch.py: error: %s has no variant %s in its JSON" % (experiment, variant))


def check_same(name, bench, lab, sampling_steps):
    """Stops with an error unless PyTorch's network and work are ddim-lab's."""
    ours = (sum(s.numel() for s in bench.state), bench.batch, sampling_steps)
    theirs = (lab["parameters"], lab["batch"], lab["sampling_steps"])
    if ours != theirs:
        sys.exit("bench_torch.py: error: %s: PyTorch's network has %d parameters, batch %d, %d sampling steps; "
                 "ddim-lab's %d, %d, %d: not the same network and work" % ((name,) + ours + theirs))
    return ours[0]


def measure(name, args):
    """One network's two rows (training step, sampling): ddim-lab's figures, then
    PyTorch's in every memory format and thread count."""
    spec = NETWORKS[name]
    # --quick: batch 16 and 2 sampling steps on both sides
    batch, sampling_steps = (16, 2) if args.quick else (spec[3]["batch"], spec[4]["steps"])
    overrides = ["train.batch_size=16", "diffusion.steps=2"] if args.quick else []
    lab = {n: run_ddim_lab(args.ddim_lab, spec, n, overrides) for n in ((2,) if args.quick else THREADS)}
    repeats, per_repeat = (2, 2) if args.quick else (REPEATS, STEPS_PER_REPEAT)
    torch_ms = {}
    for threads in THREADS:
        torch.set_num_threads(threads)
        for label, fmt in FORMATS.items():
            bench = Bench(spec, fmt, batch)
            count = check_same(name, bench, lab[max(lab)], sampling_steps)
            if not torch_ms:
                print("  %d parameters in both (ddim-lab's count includes BN's moving mean and variance, as "
                      "Keras'); batch %d" % (count, batch))
            setting = "%s/%dt" % (label, threads)
            torch_ms[setting] = time_bench(bench, repeats, per_repeat, sampling_steps)
            print("  PyTorch %s: training step %.2f ms, sampling %.1f ms" % ((setting,) + torch_ms[setting]),
                  flush=True)
    rows = []
    for i, (work, key) in enumerate((("training step", "training_step_ms"),
                                     ("sampling (%d steps)" % sampling_steps, "sampling_ms"))):
        lab_ms = {n: lab[n][key] for n in lab}
        ours = {setting: ms[i] for setting, ms in torch_ms.items()}
        best = min(ours, key=ours.get)
        same = {n: min(v for s, v in ours.items() if s.endswith("/%dt" % n)) / lab_ms[n] for n in lab_ms}
        rows.append(dict(network=name, work=work, parameters=count, ddim_lab_ms=lab_ms, torch_ms=ours,
                         torch_best=best, torch_best_ms=ours[best], ratio=ours[best] / min(lab_ms.values()),
                         ratio_same_threads=same, ddim_lab_isa=lab[max(lab)]["isa"],
                         torch_optimizer=bench.optimizer_kind))
    return rows


def print_table(rows):
    settings = list(rows[0]["torch_ms"])

    def cell(table, n):
        return "%.2f" % table[n] if n in table else "-"
    print("\n| network | work | ddim-lab 1t | ddim-lab 2t | " + " | ".join("PyTorch " + s for s in settings) +
          " | PyTorch best | ratio | ratio 1t, 2t |")
    print("|---" * (len(settings) + 7) + "|")
    for r in rows:
        print("| %s | %s | %s | %s | %s | %.2f (%s) | %.2f | %s |" % (
            r["network"], r["work"], cell(r["ddim_lab_ms"], 1), cell(r["ddim_lab_ms"], 2),
            " | ".join("%.2f" % r["torch_ms"][s] for s in settings), r["torch_best_ms"], r["torch_best"], r["ratio"],
            ", ".join(cell(r["ratio_same_threads"], n) for n in THREADS)))
    print("\nms, medians. ratio: PyTorch's best / ddim-lab's best (above 1: ddim-lab is faster); ratio 1t, 2t: "
          "PyTorch's better memory format / ddim-lab, on as many threads.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke test, not a measurement")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    parser.add_argument("--networks", default=",".join(NETWORKS), help="a comma-separated subset of %(default)s")
    parser.add_argument("--ddim-lab", default=os.path.join(ROOT, "build", "ddim-lab"), help="the binary")
    args = parser.parse_args()
    names = args.networks.split(",")
    if any(n not in NETWORKS for n in names):
        parser.error("--networks: choose from %s" % ", ".join(NETWORKS))
    args.ddim_lab = os.path.abspath(args.ddim_lab)  # it runs from the repository's root
    if not os.access(args.ddim_lab, os.X_OK):
        parser.error("no ddim-lab binary at %s (make builds it)" % args.ddim_lab)
    with open("/proc/cpuinfo") as f:                # Linux, as ddim-lab's OpenMP build
        cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "unknown")
    info = dict(torch=torch.__version__, cpu=cpu, cores=os.cpu_count(), threads=list(THREADS), quick=args.quick,
                onednn=torch.backends.mkldnn.is_available())
    print("bench-torch: PyTorch %s (oneDNN %s), CPU %s, %d cores; ddim-lab and PyTorch on threads %s"
          % (info["torch"], "on" if info["onednn"] else "off", cpu, info["cores"], list(THREADS)))
    if args.quick:
        print("--quick: a smoke test, not a measurement: batch 16, 2 repetitions of 2 steps, 2 sampling steps, "
              "ddim-lab on 2 threads only")
    rows = []
    for name in names:
        print("%s (%s, variant %s):" % (name, NETWORKS[name][0], NETWORKS[name][1]), flush=True)
        rows += measure(name, args)
    print("\nddim-lab kernels %s; PyTorch's AdamW %s" % (rows[0]["ddim_lab_isa"], rows[0]["torch_optimizer"]))
    print_table(rows)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(info, rows=rows), f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
