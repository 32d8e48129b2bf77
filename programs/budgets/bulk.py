ORDER = 70


def generate(*, run) -> None:
    pass
