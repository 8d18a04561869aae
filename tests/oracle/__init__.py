"""Slow, plain implementations that tests compare charterc's fast ones with."""
