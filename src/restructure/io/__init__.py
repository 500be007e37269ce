"""Readers and writers: YAML with line numbers, ONS lookups, mySociety successions."""

__all__: list[str] = []
