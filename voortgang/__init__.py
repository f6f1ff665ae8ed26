"""voortgang: the quarterly progress cycle of the programme "Een thuis voor iedereen"."""

__version__ = "0.1.0"
