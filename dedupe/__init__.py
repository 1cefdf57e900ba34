"""Near-duplicate detection: normalisation, shingles, MinHash signatures, LSH, verification."""
