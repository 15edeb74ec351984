"""Province oversight (issue 19): one-stop dossier statistics (import, push, selectors) and the
province dashboard with its registry of required items."""
