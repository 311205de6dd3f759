"""The /v1 request path in front of the action table: parameter merging, auth, the pipeline."""
