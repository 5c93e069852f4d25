"""The workspace's pages: one module each, with a ``router`` and a ``NAV`` entry."""
