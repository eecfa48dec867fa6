"""Helpers with no domain that every floor needs: the content stamp, log redaction, text utilities.

The bottom of the house: it imports nothing of the project's, and every app may import it.
"""
