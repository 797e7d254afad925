"""Export to ONNX with a KV cache, then int8 dynamic quantization.

Graph inputs: `input_ids` [1, new], `attention_mask` [1, past + new], `position_ids`
[1, new], and `past.{i}.key` / `past.{i}.value` [1, heads, past, head_dim] per layer (an
empty past, length 0, for the first call). Outputs: `logits` [1, new, vocab] and
`present.{i}.key` / `present.{i}.value`, the past for the next call.

transformers 5 takes a `DynamicCache`, not tuples: a small wrapper turns the flat past
tensors into one, which the (TorchScript) exporter can trace. Quantizing needs the weights
in one file first (`quant_pre_process` cannot read a separate .onnx.data).
"""

from __future__ import annotations

from pathlib import Path


def past_names(n_layer: int, prefix: str) -> list[str]:
    return [f"{prefix}.{i}.{kind}" for i in range(n_layer) for kind in ("key", "value")]


def export_onnx(model, path: Path) -> None:
    import torch
    from transformers import DynamicCache

    config = model.config
    n_layer, n_head = config.n_layer, config.n_head
    head_dim = config.n_embd // n_head

    class WithFlatCache(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, position_ids, *past):
            cache = DynamicCache()
            for layer in range(n_layer):
                cache.update(past[2 * layer], past[2 * layer + 1], layer)
            out = self.inner(
                input_ids=input_ids,
                attention_mask=attention_mask,
                position_ids=position_ids,
                past_key_values=cache,
                use_cache=True,
            )
            presents = []
            for layer in out.past_key_values.layers:
                presents += [layer.keys, layer.values]
            return (out.logits, *presents)

    wrapper = WithFlatCache(model.eval())
    ids = torch.tensor([[1, 2, 3]])
    past = [torch.zeros(1, n_head, 2, head_dim) for _ in range(2 * n_layer)]
    mask = torch.ones(1, 5, dtype=torch.long)
    positions = torch.tensor([[2, 3, 4]])
    inputs_past, outputs_present = past_names(n_layer, "past"), past_names(n_layer, "present")
    dynamic = {
        "input_ids": {1: "new"},
        "attention_mask": {1: "total"},
        "position_ids": {1: "new"},
        "logits": {1: "new"},
        **{name: {2: "past"} for name in inputs_past},
        **{name: {2: "total"} for name in outputs_present},
    }
    torch.onnx.export(
        wrapper,
        (ids, mask, positions, *past),
        str(path),
        input_names=["input_ids", "attention_mask", "position_ids", *inputs_past],
        output_names=["logits", *outputs_present],
        dynamic_axes=dynamic,
        opset_version=17,
        dynamo=False,
    )


def quantize_int8(fp32: Path, int8: Path) -> None:
    """Dynamic int8 quantization of the weights (MatMul/Gemm), activations stay float."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process

    single = fp32.with_suffix(".single.onnx")
    onnx.save_model(onnx.load(str(fp32)), str(single), save_as_external_data=False)
    prepared = fp32.with_suffix(".prepared.onnx")
    quant_pre_process(str(single), str(prepared), skip_symbolic_shape=True)
    quantize_dynamic(str(prepared), str(int8), weight_type=QuantType.QInt8)
    single.unlink()
    prepared.unlink()
