"""Training pipeline for the command → step-language model (DESIGN §4).

`training.corpus` writes the synthetic corpus of typed commands (English and Chinese) paired
with the step-language text the model must produce.
"""
