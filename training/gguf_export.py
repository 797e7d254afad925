"""Our GPT-2 as a GGUF file, so llama.cpp (`app.nl.llama_backend`) can run it.

Written with the `gguf` package straight from the trained PyTorch weights and our
`tokenizer.json`: llama.cpp's own converter ships only inside the llama-cpp-python sources
and trips over a BPE pre-tokenizer it does not know. The prompt is tokenized by our own
tokenizer at run time (it splits digits one by one, which llama.cpp's "gpt-2" pre-tokenizer
does not), so the file's vocabulary only has to give each id its bytes.

Two kinds: `f16` (every matrix in half precision) and `q8_0` (llama.cpp's 8-bit blocks of
32). Norms and biases stay in float32, as llama.cpp's converter keeps them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from app.nl.llama_backend import OUR_MODEL_NAME

KINDS = ("f16", "q8_0")
# HF's GPT-2 keeps these as Conv1D, [in, out]; GGUF wants [out, in] like a Linear
_CONV1D = (".attn.c_attn.weight", ".attn.c_proj.weight", ".mlp.c_fc.weight", ".mlp.c_proj.weight")


def export_gguf(pytorch_dir: Path, tokenizer_json: Path, out: Path, kind: str) -> Path:
    """Write `out` from the model in `pytorch_dir` (`save_pretrained`) and its tokenizer."""
    config = json.loads((pytorch_dir / "config.json").read_text())
    return write_gguf(_tensors(pytorch_dir, config["n_layer"]), tokenizer_json, config, out, kind)


def write_gguf(
    tensors: dict[str, np.ndarray],
    tokenizer_json: Path,
    config: dict,
    out: Path,
    kind: str,
    name: str = OUR_MODEL_NAME,
) -> Path:
    """A GGUF file of GPT-2 `tensors` (GGUF names and layout, float32), a GPT-2 `config`
    (HF's keys) and our tokenizer. `name` tells the runtime whether the file is ours."""
    import gguf

    if kind not in KINDS:
        raise ValueError(f"unknown GGUF kind {kind!r}: use one of {', '.join(KINDS)}")
    writer = gguf.GGUFWriter(str(out), "gpt2")
    writer.add_name(name)
    writer.add_context_length(config["n_positions"])
    writer.add_embedding_length(config["n_embd"])
    writer.add_feed_forward_length(config.get("n_inner") or 4 * config["n_embd"])
    writer.add_block_count(config["n_layer"])
    writer.add_head_count(config["n_head"])
    writer.add_layer_norm_eps(config.get("layer_norm_epsilon", 1e-5))
    file_type = gguf.LlamaFileType.MOSTLY_F16 if kind == "f16" else gguf.LlamaFileType.MOSTLY_Q8_0
    writer.add_file_type(file_type)
    _add_tokenizer(writer, json.loads(tokenizer_json.read_text()), config)
    for tensor, data in tensors.items():
        _add_tensor(writer, tensor, np.ascontiguousarray(data, dtype=np.float32), kind)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return out


def _tensors(pytorch_dir: Path, n_layer: int) -> dict[str, np.ndarray]:
    """The weights of a `save_pretrained` GPT-2 under their GGUF names and in its layout."""
    import gguf
    from safetensors.numpy import load_file

    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.GPT2, n_layer)
    tensors = {}
    for hf_name, data in load_file(pytorch_dir / "model.safetensors").items():
        if hf_name.endswith((".attn.bias", ".attn.masked_bias")) or hf_name == "lm_head.weight":
            continue  # causal masks, and the output matrix, which is the embedding
        name = names.get_name(hf_name, try_suffixes=(".weight", ".bias"))
        if name is None:
            raise ValueError(f"no GGUF name for the tensor {hf_name!r}")
        tensors[name] = data.T if hf_name.endswith(_CONV1D) else data
        if name == "token_embd.weight":  # GPT-2's output matrix is its embedding (tied)
            tensors["output.weight"] = data
    return tensors


def _add_tensor(writer, name: str, data: np.ndarray, kind: str) -> None:
    import gguf

    if data.ndim == 1:
        writer.add_tensor(name, data)
    elif kind == "f16":
        writer.add_tensor(name, data.astype(np.float16))
    else:
        quantized = gguf.quants.quantize(data, gguf.GGMLQuantizationType.Q8_0)
        writer.add_tensor(name, quantized, raw_dtype=gguf.GGMLQuantizationType.Q8_0)


def _add_tokenizer(writer, tokenizer: dict, config: dict) -> None:
    """Our byte-level BPE: every id's token, its kind, the merges, the end token."""
    import gguf

    vocab: dict[str, int] = tokenizer["model"]["vocab"]
    specials = {t["id"]: t["content"] for t in tokenizer["added_tokens"] if t["special"]}
    size = config["vocab_size"]
    tokens = [f"[PAD{i}]" for i in range(size)]
    kinds = [gguf.TokenType.UNUSED] * size
    for token, index in vocab.items():
        tokens[index], kinds[index] = token, gguf.TokenType.NORMAL
    for index, content in specials.items():
        tokens[index], kinds[index] = content, gguf.TokenType.CONTROL
    merges = [m if isinstance(m, str) else " ".join(m) for m in tokenizer["model"]["merges"]]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("gpt-2")
    writer.add_token_list(tokens)
    writer.add_token_types(kinds)
    writer.add_token_merges(merges)
    writer.add_bos_token_id(config["bos_token_id"])
    writer.add_eos_token_id(config["eos_token_id"])
    writer.add_add_bos_token(False)
