"""Carry out what the engine decides: clocks, Lambda invocations, the in-process runner."""
