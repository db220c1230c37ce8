"""Tests of bedrock_platform.config: loading, schema, semantic rules, typed objects."""
