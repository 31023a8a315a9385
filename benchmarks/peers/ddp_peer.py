"""PyTorch peer of benchmarks/dist/scaling: a workload of torch_peer.py as one rank of a data-parallel run, written as a
PyTorch user writes it: DistributedDataParallel (Gloo) for the equal-weight workloads, and for UPGrad (which DDP cannot
express: it needs every task's gradient) the Jacobian rows and the heads' gradients all-reduced by hand before the
aggregation. Launched by torchrun (or alone, without DDP). The global batch is the workload's; rank r trains rows r,
r+W, ... of it.

    python3 ddp_peer.py WORKLOAD [--warmup N] [--steps N] [--repeats N]

Rank 0 prints "RESULT python-W WORKLOAD BLOCK MS_PER_STEP ALLREDUCE_MS_PER_STEP BYTES_PER_STEP" per timed block; the
all-reduce time is "nan" where DDP overlaps it with the backward pass (it is inside the step time).
"""
import argparse
import os
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_peer import SHAPES, Stream, model, upgrad_weights, upload  # noqa: E402


class Net(torch.nn.Module):
    def __init__(self, backbone, heads):
        super().__init__()
        self.backbone, self.heads = backbone, heads

    def forward(self, x):
        z = self.backbone(x)
        return [h(z) for h in self.heads]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("workload", choices=["hps-ew", "hps-upgrad", "cnn-ew"])
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    world, rank = int(os.environ.get("WORLD_SIZE", "1")), int(os.environ.get("RANK", "0"))
    if world > 1:
        dist.init_process_group("gloo")
    torch.manual_seed(42)
    device = torch.device("cpu")
    hidden, regression, classes, batch = SHAPES[args.workload]
    backbone, heads, _, kinds = model(hidden, regression, classes, device)
    data = Stream(hidden is None, heads, kinds, batch, device)
    net = Net(backbone, heads)
    ddp = torch.nn.parallel.DistributedDataParallel(net) if world > 1 and args.workload != "hps-upgrad" else net
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    window = torch.zeros(len(heads), dtype=torch.float64)
    comm = {"s": 0.0, "bytes": 0}
    T = len(heads)

    def shard():
        idx = data.next()
        return idx[rank::world]

    def losses(outs, idx):
        return [F.cross_entropy(o, data.y[i].index_select(0, idx)) if kinds[i]
                else F.mse_loss(o, data.y[i].index_select(0, idx)) for i, o in enumerate(outs)]

    if args.workload == "hps-upgrad":
        shared = list(backbone.parameters())

        def step():
            idx = shard()
            ls = losses(net(data.x.index_select(0, idx)), idx)
            stacked = torch.stack(ls)
            opt.zero_grad()
            rows, head_grads = [], []
            for i, l in enumerate(ls):
                hp = list(heads[i].parameters())
                g = torch.autograd.grad(l, shared + hp, retain_graph=i < T - 1, allow_unused=True)
                rows.append(torch.cat([gk.reshape(-1) for gk in g[:len(shared)]]))
                head_grads.append(list(g[len(shared):]))
            j = torch.stack(rows)
            if world > 1:
                flat = torch.cat([j.reshape(-1)] + [g.reshape(-1) for hg in head_grads for g in hg]
                                 + [stacked.detach()])
                t0 = time.perf_counter()
                dist.all_reduce(flat)
                comm["s"] += time.perf_counter() - t0
                comm["bytes"] += flat.numel() * flat.element_size()
                flat /= world
                j = flat[:j.numel()].view_as(j)
                off = j.numel()
                for hg in head_grads:
                    for k, g in enumerate(hg):
                        hg[k] = flat[off:off + g.numel()].view_as(g)
                        off += g.numel()
                stacked = flat[off:off + T]
            jd = j.double()
            h = (jd @ jd.t()).tolist()
            h = [[0.5 * (h[a][b] + h[b][a]) for b in range(T)] for a in range(T)]
            d = upload(upgrad_weights(h), device) @ j
            off = 0
            for p_ in shared:
                p_.grad = d[off:off + p_.numel()].view_as(p_).clone()
                off += p_.numel()
            for i in range(T):
                for p_, g in zip(heads[i].parameters(), head_grads[i]):
                    p_.grad = g.clone()
            opt.step()
            window.add_(stacked.detach().double())
    else:
        nparams = sum(p_.numel() for p_ in net.parameters())

        def step():
            idx = shard()
            stacked = torch.stack(losses(ddp(data.x.index_select(0, idx)), idx))
            opt.zero_grad()
            stacked.sum().backward()
            opt.step()
            window.add_(stacked.detach().double())
            if world > 1:
                comm["bytes"] += nparams * 4

    for _ in range(args.warmup):
        step()
    for r in range(args.repeats):
        comm["s"], comm["bytes"] = 0.0, 0
        t0 = time.perf_counter()
        for _ in range(args.steps):
            step()
        ms = (time.perf_counter() - t0) * 1000 / args.steps
        ar = "nan" if args.workload != "hps-upgrad" or world == 1 else f"{comm['s'] * 1000 / args.steps:.4f}"
        if rank == 0:
            print(f"RESULT python-{world} {args.workload} {r} {ms:.4f} {ar} {comm['bytes'] // args.steps}", flush=True)
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
