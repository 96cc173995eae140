//! A realistic storagenode log for benchmarks and tests (filled in below).
