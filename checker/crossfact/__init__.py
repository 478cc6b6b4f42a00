"""`python -m crossfact`: the command's own name as a module; the code lives in `checker`.

Installed as the top-level package `crossfact` (a setuptools package-dir mapping), so the
repository keeps one top-level package, `checker`.
"""
