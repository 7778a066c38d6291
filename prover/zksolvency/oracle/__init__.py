"""Oracle snapshots: prices from several sources, and a committee's signatures over the snapshot."""
