"""Byte-level BPE trained with `tokenizers` on the corpus: every byte is representable,
so any text a user types (Chinese, emoji, paths) round-trips exactly; digits stay single."""

from __future__ import annotations

from collections.abc import Iterable

from app.nl.prompt import SPECIAL_TOKENS


def train_tokenizer(texts: Iterable[str], vocab_size: int, progress: bool = True):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    # one token per digit: a small model copies coordinates and counts digit by digit far
    # more reliably than it learns merged number tokens
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False),
        ]
    )
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=list(SPECIAL_TOKENS),  # ids 0-3, matched whole before splitting
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=progress,
    )
    tokenizer.train_from_iterator(texts, trainer)
    return tokenizer
