"""The example app's session fixture, ``example``, is in tests/conftest.py (the scanner tests share it)."""
