"""Against a real Convoso: `verify` (contract + shape battery), `proxy`, cassettes, `clone-seed`."""
