"""bedrock-platform: Amazon Bedrock infrastructure from one validated YAML file per environment."""

__version__ = "0.1.0"
