"""The procedure catalog: kinds, instances, task specifications, scales, schedule."""
