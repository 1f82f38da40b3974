"""marshmallow schemas of the HTTP API; request bodies reject unknown fields."""
