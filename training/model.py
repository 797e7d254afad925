"""The model: `transformers.GPT2LMHeadModel` from scratch, in a few sizes."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class ModelSize:
    n_layer: int  # transformer blocks
    n_head: int  # attention heads per block
    n_embd: int  # width of the residual stream
    n_positions: int  # longest prompt + answer, in tokens
    vocab_size: int  # BPE vocabulary, special tokens included


SIZES = {
    "tiny": ModelSize(n_layer=2, n_head=2, n_embd=64, n_positions=192, vocab_size=800),
    "small": ModelSize(n_layer=4, n_head=4, n_embd=256, n_positions=256, vocab_size=4000),
    "medium": ModelSize(n_layer=6, n_head=4, n_embd=256, n_positions=256, vocab_size=4000),
    "wide": ModelSize(n_layer=4, n_head=5, n_embd=320, n_positions=256, vocab_size=4000),
    "base": ModelSize(n_layer=6, n_head=6, n_embd=384, n_positions=256, vocab_size=8000),
}


def new_model(size: ModelSize, seed: int, pad_id: int, end_id: int):
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(seed)
    config = GPT2Config(
        **asdict(size),
        bos_token_id=end_id,
        eos_token_id=end_id,
        pad_token_id=pad_id,
        resid_pdrop=0.0,
        embd_pdrop=0.0,
        attn_pdrop=0.0,
    )
    return GPT2LMHeadModel(config)
