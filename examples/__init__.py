"""A plain CDK app built from bedrock-platform's constructs (see app.py and README.md)."""
