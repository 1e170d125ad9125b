"""Benchmarks: the generated clients and the generator, side by side with what users would pick.

Run ``python -m bench`` (``--quick`` for a smoke run); results go to ``bench/results/``.
"""
