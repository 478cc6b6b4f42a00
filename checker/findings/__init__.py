"""Findings: the registry of finding kinds and the frozen result models."""
