"""Clips and bells to PCM: decoding, loudness, the block mixer and the ambience bed."""
