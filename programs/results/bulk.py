ORDER = 60


def generate(*, run) -> None:
    pass
