"""The build's steps, load to write, and what they share: cache, workers, the writer."""
