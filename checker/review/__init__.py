"""Review: waivers, changed files, ledger authoring checks, suggestions and terminal views."""
