"""The kernel: what every module uses and no module owns. It imports no module (see the import contracts)."""
