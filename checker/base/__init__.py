"""The lowest layer: errors, paths and writes, text, the claim models, ledger loading."""
