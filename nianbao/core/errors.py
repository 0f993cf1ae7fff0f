class UnreadableDocument(Exception):
    """A file that cannot be read as a report at all; the message says why."""
