"""Text → steps: a small local language model, decoding constrained to the step language."""
