"""Sockets to `Request` values and back: one loopback port that speaks TLS directly and
also answers `CONNECT` as an HTTPS proxy that terminates TLS for the real Azure host names."""
