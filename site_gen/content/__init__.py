"""Reading the content folder: files, fields and typed data, one unit per kind of page."""
