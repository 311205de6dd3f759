"""The OpenAPI contract, generated from the action table and its marshmallow schemas."""
