"""annotate/quotes"""
