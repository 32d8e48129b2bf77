def load(*, run):
    return None
