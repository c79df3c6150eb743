"""Search as you type: the field, the worker thread, the results panel."""
