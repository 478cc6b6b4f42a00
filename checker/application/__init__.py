"""The application: settings, inputs, the cache, the pipeline, the run and the CLI."""
