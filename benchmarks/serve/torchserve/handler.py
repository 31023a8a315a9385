"""TorchServe handler for the multi-head model of export_model.py, doing what mtlj's predictor does: the examples of
every request in the batch stacked into one forward pass under inference mode, softmax on the class head, every task's
outputs returned per request as JSON ({task: [[values]]}). A request body is {"inputs": [[250 floats], ...]}.
"""
import json

import torch
from ts.torch_handler.base_handler import BaseHandler

TASKS = ["y1", "y2", "y3", "cls"]


class MultiHeadHandler(BaseHandler):
    def initialize(self, context):
        torch.set_num_threads(1)
        props = context.system_properties
        self.model = torch.jit.load(f"{props['model_dir']}/qs.pt", map_location="cpu").eval()
        self.initialized = True

    def handle(self, data, context):
        rows, counts = [], []
        for request in data:
            body = request.get("body") or request.get("data")
            if isinstance(body, (bytes, bytearray)):
                body = json.loads(body)
            x = body["inputs"]
            rows.extend(x)
            counts.append(len(x))
        with torch.inference_mode():
            outs = self.model(torch.tensor(rows, dtype=torch.float32))
            outs = [torch.softmax(o, 1) if t == "cls" else o for t, o in zip(TASKS, outs)]
        answers, at = [], 0
        for n in counts:
            answers.append({t: o[at:at + n].tolist() for t, o in zip(TASKS, outs)})
            at += n
        return answers
