#!/bin/sh
# Install the Debian packages only the benchmarks need (tests/bench/agent.sh:
# a private nginx serving the feed farm, and the feed readers it compares
# against), when missing. Not part of `make check`; `make bench` runs it
# through tests/bench/agent.sh.
exec sh "$(dirname "$0")/deps.sh" nginx-light newsboat sfeed curl time \
    libxml2-utils python3 sqlite3
