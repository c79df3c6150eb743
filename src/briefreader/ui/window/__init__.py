"""The main window: a shell that places the features, its start-up steps, session and help."""
