"""The `phalanx` command line: thin click commands over the library."""
