"""Input schemas: one per Convoso action, named after it (leads/search -> LeadSearchArgs)."""
