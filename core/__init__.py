"""The shared kernel: what several apps use and none owns (API base, parameters, presenters, roles).

`core` imports no project app; the apps import it.
"""
