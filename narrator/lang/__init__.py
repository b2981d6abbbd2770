"""Word data per language: <code>.toml for the parser, cues/<code>.toml for the voice."""
