"""PCM to a file a player understands: encoding, tags and chapters, cover, side files."""
