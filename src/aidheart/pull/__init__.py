"""``aidheart pull``: the REDCap export and data dictionary fetched through REDCap's API.

``api`` makes the calls (through PyCap) and turns every failure into one line;
``files`` writes what came back under REDCap's own file names, in the byte form
of the shipped study's files; ``command`` is the command-line entry point. The
token is read from the environment only and is never written anywhere.
"""
