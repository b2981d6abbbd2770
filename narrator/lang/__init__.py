"""Word data for each language the parser reads, one TOML file per language."""
