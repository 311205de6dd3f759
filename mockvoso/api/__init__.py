"""The Convoso /v1 API: one module of views per resource, one pipeline in front."""
