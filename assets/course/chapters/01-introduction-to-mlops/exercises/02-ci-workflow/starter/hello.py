"""A tiny module to practise project automation on."""


def add(a, b):
    """Return the sum of a and b."""
    return a + b


def greet(name):
    """Return a friendly greeting such as "Hello, Ada!"."""
    return f"Hello, {name}!"
