"""linalg.py: the little linear algebra influence.py needs, in plain Python."""

PIVOT_EPS = 1e-12     # a pivot smaller than this (in absolute value) means a singular system


class SingularMatrix(ValueError):
    """The system has no single solution: a column is constant, zero or a mix of others."""


def solve(a, b):
    """Solve a · x = b by Gaussian elimination with partial pivoting; return x as a list.

    a is a list of n rows of n numbers, b a list of n numbers; neither is changed. Raises
    SingularMatrix when the largest pivot available for a column is below PIVOT_EPS.
    """
    n = len(b)
    m = [[float(v) for v in row] + [float(rhs)] for row, rhs in zip(a, b)]   # augmented copy
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        if abs(m[pivot][col]) < PIVOT_EPS:
            raise SingularMatrix(f"no usable pivot in column {col}")
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            factor = m[r][col] / m[col][col]
            if factor:
                for c in range(col, n + 1):
                    m[r][c] -= factor * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x
