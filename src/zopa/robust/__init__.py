"""Robustness over uncertain inputs: sampling, and (later) robust analyses and executors."""
