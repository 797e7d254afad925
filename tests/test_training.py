"""Training arithmetic: float32 or bfloat16, chosen explicitly or by what the CPU can do."""

from __future__ import annotations

import pytest

from app.nl.prompt import END, training_text
from training import corpus
from training.model import SIZES, new_model
from training.tokenizer import train_tokenizer
from training.train import train, use_bf16


def test_an_unknown_precision_is_refused_by_name():
    with pytest.raises(ValueError, match="auto, bf16 or fp32, not 'fp16'"):
        use_bf16("fp16")


def test_an_explicit_precision_is_obeyed():
    assert use_bf16("bf16") is True
    assert use_bf16("fp32") is False


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_training_lowers_the_loss_in_either_precision(precision):
    examples = corpus.generate(3, 300)
    texts = ("".join(training_text(e.command, e.macros, e.steps)) for e in examples)
    tokenizer = train_tokenizer(texts, SIZES["tiny"].vocab_size)
    end_id = tokenizer.token_to_id(END)
    model = new_model(SIZES["tiny"], 0, pad_id=end_id, end_id=end_id)
    settings = {"lr": 3e-3, "batch_tokens": 2048, "progress": False, "precision": precision}
    first = train(model, tokenizer, examples, 1, **settings)
    second = train(model, tokenizer, examples, 3, **settings)
    assert second["precision"] == precision
    assert second["final_loss"] < first["final_loss"]
