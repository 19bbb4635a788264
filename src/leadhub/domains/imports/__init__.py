"""Importing leads from CSV and XLSX files into a list."""
