"""The shared kernel beneath every module: pieces no module owns and every module uses (the outbox first)."""
