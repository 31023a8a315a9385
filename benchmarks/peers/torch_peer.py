"""Python peer of benchmarks/run: the workloads of native/ and dev.mtlj.bench.PeerStep in eager PyTorch.

    python3 torch_peer.py WORKLOAD [--variant plain|torchjd] [--device cpu|cuda] [--bf16] [--threads N]
                          [--warmup N] [--steps N] [--repeats N]

Prints "META ..." once, then "RESULT SIDE WORKLOAD BLOCK MS_PER_STEP" per timed block (SIDE = python, or
python-torchjd for the library variant of hps-upgrad). Definitions of the workloads: benchmarks/README.md.
"""
import argparse
import math
import sys
import time

import torch
import torch.nn.functional as F

EXAMPLES, INPUTS, OUTPUTS = 4000, 250, 100
SHAPES = {  # hidden widths (None: the CNN), regression tasks, classes of an extra task, batch
    "hps-ew": ([512] * 4, 3, 0, 256), "hps-gradnorm": ([512] * 4, 3, 0, 256), "hps-upgrad": ([512] * 4, 3, 4, 256),
    "tiny-ew": ([32, 32], 3, 0, 16), "cnn-ew": (None, 0, 0, 128),
    "infer-b1": ([100] * 4, 3, 4, 1), "infer-b64": ([100] * 4, 3, 4, 64), "op-add": None,
}


def model(hidden, regression, classes, device):
    if hidden is None:  # the Multi-Fashion CNN of examples/multi-fashion.yaml
        layers, c = [], 1
        for out in (16, 32):
            layers += [torch.nn.Conv2d(c, out, 3, padding=1), torch.nn.BatchNorm2d(out), torch.nn.ReLU(), torch.nn.MaxPool2d(2)]
            c = out
        last = torch.nn.Linear(32 * 7 * 7, 128)
        layers += [torch.nn.Flatten(), last, torch.nn.ReLU()]
        heads, kinds = [torch.nn.Linear(128, 10) for _ in range(2)], [True, True]
    else:
        layers, w_in = [], INPUTS
        for w in hidden:
            last = torch.nn.Linear(w_in, w)
            layers += [last, torch.nn.ReLU()]
            w_in = w
        heads = [torch.nn.Linear(w_in, OUTPUTS) for _ in range(regression)]
        kinds = [False] * regression
        if classes:
            heads.append(torch.nn.Linear(w_in, classes))
            kinds.append(True)
    return torch.nn.Sequential(*layers).to(device), torch.nn.ModuleList(heads).to(device), last, kinds


class Stream:
    """Device-resident data and the epoch-permutation batch stream (as mtlj's BatchStream)."""

    def __init__(self, cnn, heads, kinds, batch, device):
        self.x = (torch.rand(EXAMPLES, 1, 28, 28) if cnn else torch.randn(EXAMPLES, INPUTS)).to(device)
        self.y = [(torch.randint(0, h.out_features, (EXAMPLES,)) if k else torch.randn(EXAMPLES, OUTPUTS)).to(device)
                  for h, k in zip(heads, kinds)]
        self.batch, self.device, self.pos, self.perm = batch, device, EXAMPLES, None

    def next(self):
        if self.pos + self.batch > EXAMPLES:
            self.perm, self.pos = torch.randperm(EXAMPLES), 0
        idx = self.perm[self.pos:self.pos + self.batch]
        self.pos += self.batch
        return idx if self.device.type == "cpu" else idx.pin_memory().to(self.device, non_blocking=True)


def upload(values, device):
    t = torch.tensor(values, dtype=torch.float32)
    return t if device.type == "cpu" else t.pin_memory().to(device, non_blocking=True)


class GradNormWeights:
    """GradNorm's weight update (Chen et al. 2018; methods.md 2.6), Adam on w, lr 1e-3, alpha 1.5."""

    def __init__(self, tasks, alpha=1.5, lr=1e-3):
        self.w, self.m, self.v = [1.0] * tasks, [0.0] * tasks, [0.0] * tasks
        self.alpha, self.lr, self.initial, self.t = alpha, lr, None, 0

    def update(self, l, n):
        T = len(self.w)
        self.initial = self.initial or list(l)
        g = [self.w[i] * n[i] for i in range(T)]
        g_bar = sum(g) / T
        r = [l[i] / self.initial[i] for i in range(T)]
        r_mean = sum(r) / T
        self.t += 1
        for i in range(T):
            diff = g[i] - g_bar * (r[i] / r_mean) ** self.alpha
            grad = ((diff > 0) - (diff < 0)) * n[i]
            self.m[i] = 0.9 * self.m[i] + 0.1 * grad
            self.v[i] = 0.999 * self.v[i] + 0.001 * grad * grad
            mh, vh = self.m[i] / (1 - 0.9 ** self.t), self.v[i] / (1 - 0.999 ** self.t)
            self.w[i] = max(1e-6, self.w[i] - self.lr * mh / (math.sqrt(vh) + 1e-8))
        s = sum(self.w)
        self.w = [x * T / s for x in self.w]


def box_qp(q, lower):
    """argmin_{v >= lower} v^T Q v by trying every active set (exact; T <= 10)."""
    t = len(lower)
    for mask in range(1 << t):
        free = [i for i in range(t) if mask >> i & 1]
        v = list(lower)
        if free:
            a = torch.tensor([[q[r][c] for c in free] for r in free], dtype=torch.float64)
            b = torch.tensor([-sum(q[r][k] * lower[k] for k in range(t) if not mask >> k & 1) for r in free],
                             dtype=torch.float64)
            try:
                x = torch.linalg.solve(a, b).tolist()
            except RuntimeError:
                continue
            for r, i in enumerate(free):
                v[i] = x[r]
        grad = [sum(q[i][k] * v[k] for k in range(t)) for i in range(t)]
        if all((v[i] >= lower[i] - 1e-12) if mask >> i & 1 else grad[i] >= -1e-12 for i in range(t)):
            return v
    raise RuntimeError("UPGrad QP: no KKT point")


def upgrad_weights(h, reg=1e-4):
    """UPGrad (Quinton & Rey 2024) as mtlj computes it: trace-normalised H + reg I, w = sum_k argmin_{v>=e_k/T} v^T H v."""
    t = len(h)
    tr = sum(h[i][i] for i in range(t))
    q = [[h[a][b] / tr if tr > 0 else h[a][b] for b in range(t)] for a in range(t)]
    for i in range(t):
        q[i][i] += reg
    w = [0.0] * t
    for k in range(t):
        v = box_qp(q, [1.0 / t if i == k else 0.0 for i in range(t)])
        w = [w[i] + v[i] for i in range(t)]
    return w


def training_step(args, device):
    hidden, regression, classes, batch = SHAPES[args.workload]
    backbone, heads, last, kinds = model(hidden, regression, classes, device)
    data = Stream(hidden is None, heads, kinds, batch, device)
    params = list(backbone.parameters()) + list(heads.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    window = torch.zeros(len(heads), dtype=torch.float64, device=device)
    T = len(heads)
    backbone.train()

    def losses(idx, features=False):
        xb = data.x.index_select(0, idx)
        with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=args.bf16):
            z = backbone(xb)
            ls = []
            for i, h in enumerate(heads):
                target = data.y[i].index_select(0, idx)
                ls.append(F.cross_entropy(h(z), target) if kinds[i] else F.mse_loss(h(z), target))
        ls = [l.float() for l in ls]
        return (ls, z) if features else ls

    if args.workload == "hps-gradnorm":
        gn = GradNormWeights(T)

        def step():
            ls = losses(data.next())
            stacked = torch.stack(ls)
            lv = stacked.double().tolist()
            nv = torch.stack([torch.autograd.grad(l, last.weight, retain_graph=True)[0].norm() for l in ls]).tolist()
            used = list(gn.w)
            gn.update(lv, nv)
            opt.zero_grad()
            (stacked * upload(used, device)).sum().backward()
            opt.step()
            window.add_(stacked.detach().double())
        return step

    if args.workload == "hps-upgrad" and args.variant == "torchjd":
        from torchjd.aggregation import UPGrad
        from torchjd.autojac import jac_to_grad, mtl_backward
        aggregator, shared = UPGrad(), list(backbone.parameters())

        def step():
            ls, z = losses(data.next(), features=True)
            opt.zero_grad()
            mtl_backward(ls, features=z)
            jac_to_grad(shared, aggregator)
            opt.step()
            window.add_(torch.stack(ls).detach().double())
        return step

    if args.workload == "hps-upgrad":
        shared = list(backbone.parameters())

        def step():
            ls = losses(data.next())
            stacked = torch.stack(ls)
            opt.zero_grad()
            rows, head_grads = [], []
            for i, l in enumerate(ls):
                hp = list(heads[i].parameters())
                g = torch.autograd.grad(l, shared + hp, retain_graph=i < T - 1, allow_unused=True)
                rows.append(torch.cat([gk.reshape(-1) if gk is not None else torch.zeros_like(p).reshape(-1)
                                       for gk, p in zip(g[:len(shared)], shared)]))
                head_grads.append(g[len(shared):])
            j = torch.stack(rows)
            jd = j.double()
            h = (jd @ jd.t()).tolist()
            h = [[0.5 * (h[a][b] + h[b][a]) for b in range(T)] for a in range(T)]
            d = j.t().mv(upload(upgrad_weights(h), device))
            off = 0
            for p in shared:
                p.grad = d[off:off + p.numel()].view_as(p).clone()
                off += p.numel()
            for i in range(T):
                for p, g in zip(heads[i].parameters(), head_grads[i]):
                    if g is not None:
                        p.grad = g.clone()
            opt.step()
            window.add_(stacked.detach().double())
        return step

    ones = [1.0] * T

    def step():
        stacked = torch.stack(losses(data.next()))
        opt.zero_grad()
        (stacked * upload(ones, device)).sum().backward()
        opt.step()
        window.add_(stacked.detach().double())
    return step


def inference_step(args, device):
    import numpy as np
    hidden, regression, classes, batch = SHAPES[args.workload]
    backbone, heads, _, kinds = model(hidden, regression, classes, device)
    backbone.eval()
    heads.eval()
    x_host = torch.randn(batch, INPUTS).numpy()

    def step():
        with torch.inference_mode():
            z = backbone(torch.from_numpy(x_host).to(device))
            outs = [torch.softmax(h(z), 1) if k else h(z) for h, k in zip(heads, kinds)]
            out = torch.cat(outs, 1).cpu().numpy()
        return out, np.argmax(out[:, -classes:], axis=1)
    return step


def main():
    p = argparse.ArgumentParser()
    p.add_argument("workload", choices=sorted(SHAPES))
    p.add_argument("--variant", choices=["plain", "torchjd"], default="plain")
    p.add_argument("--device", default="cpu")
    p.add_argument("--bf16", action="store_true")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(args.threads)
    torch.manual_seed(42)
    device = torch.device(args.device)
    side = "python-torchjd" if args.variant == "torchjd" else "python"
    extra = ""
    if args.variant == "torchjd":
        import importlib.metadata as md
        extra = f" torchjd={md.version('torchjd')}"
    print(f"META {side} torch={torch.__version__} threads={torch.get_num_threads()} device={args.device}{extra}", flush=True)
    if args.workload == "op-add":  # the floor of one op: a + b on one element
        a, b = torch.ones(1, device=device), torch.ones(1, device=device)
        step = lambda: a + b
    else:
        step = inference_step(args, device) if args.workload.startswith("infer") else training_step(args, device)
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    for _ in range(args.warmup):
        step()
    sync()
    for r in range(args.repeats):
        t0 = time.perf_counter()
        for _ in range(args.steps):
            step()
        sync()
        print(f"RESULT {side} {args.workload} {r} {(time.perf_counter() - t0) * 1e3 / args.steps:.6f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
