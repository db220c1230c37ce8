"""Lambda code for the toolkit's custom resources (Python, boto3 only).

This folder is the Lambda asset: it is deployed as the package ``handlers`` and must import
nothing but the standard library, boto3 and its siblings (relative imports). It never imports
the rest of ``bedrock_platform``, which the Lambda runtime does not have.
"""
