"""Script to clips: every distinct text spoken once by an engine, levelled and cached."""
