"""linalg.py: the little linear algebra influence.py needs, in plain Python."""

PIVOT_EPS = 1e-12     # a pivot smaller than this (in absolute value) means a singular system


class SingularMatrix(ValueError):
    """The system has no single solution: a column is constant, zero or a mix of others."""


def solve(a, b):
    """Solve a · x = b by Gaussian elimination with partial pivoting; return x as a list.

    a is a list of n rows of n numbers, b a list of n numbers; neither is changed. Raises
    SingularMatrix when the largest pivot available for a column is below PIVOT_EPS.

    TODO: work on an augmented copy [row + [rhs] for each row]. For each column: pick the row
    (at or below the diagonal) with the largest absolute value in that column, swap it up,
    and subtract multiples of it from the rows below to make their entries in the column 0.
    Then solve from the last row up (back substitution).
    """
    return [0.0] * len(b)
