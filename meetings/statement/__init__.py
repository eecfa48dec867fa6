"""Import of co-chairs' statements: text in, a reviewed draft meeting out."""
