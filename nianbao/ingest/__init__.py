"""Ingest: what the crawler fetched and the parser read, loaded into the database."""
