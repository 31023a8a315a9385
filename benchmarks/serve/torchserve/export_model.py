"""The model both servers serve in benchmarks/serve/compare: the quick start's shape (HPS MLP 250 -> 100 x 4 with ReLU,
three 100-wide regression heads y1..y3 and a 4-class head cls), random weights, scripted with torch.jit.script. Writes
OUT/qs.pt and OUT/qs.json (mtlj's signature of a TorchScript model).

    python export_model.py OUT
"""
import json
import sys
from typing import List

import torch


class MultiHead(torch.nn.Module):
    def __init__(self):
        super().__init__()
        layers, width = [], 250
        for _ in range(4):
            layers += [torch.nn.Linear(width, 100), torch.nn.ReLU()]
            width = 100
        self.trunk = torch.nn.Sequential(*layers)
        self.heads = torch.nn.ModuleList([torch.nn.Linear(100, 100) for _ in range(3)] + [torch.nn.Linear(100, 4)])

    def forward(self, x: torch.Tensor) -> List[torch.Tensor]:
        z = self.trunk(x)
        return [h(z) for h in self.heads]


def main():
    out = sys.argv[1]
    torch.manual_seed(42)
    model = torch.jit.script(MultiHead().eval())
    torch.jit.save(model, f"{out}/qs.pt")
    tasks = [{"name": f"y{i}", "kind": "regression", "outputs": 100} for i in (1, 2, 3)]
    tasks.append({"name": "cls", "kind": "classification", "outputs": 4})
    json.dump({"input_shape": [250], "tasks": tasks}, open(f"{out}/qs.json", "w"))


if __name__ == "__main__":
    main()
