"""The dev server and the `new` command."""
