"""Download newer copies of published inputs into data/raw (`lutonwb refresh ...`)."""
