"""Prefect flows: thin shells that run the crawler and the domain core."""
